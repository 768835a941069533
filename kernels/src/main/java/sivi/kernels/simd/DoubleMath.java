package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double twin of {@link FloatMath} (same algorithms, read its javadoc): exp with a Taylor
 * polynomial of degree 13 on |r| ≤ ln2/2 (truncation < 2⁻⁵⁵), expm1 with degree 14 below ln2/2.
 * exp within 2 ulps; overflow gives +∞, exp(−∞) = 0, NaN stays NaN.
 */
final class DoubleMath {
    private DoubleMath() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static final double LOG2E = 1 / Math.log(2);
    private static final double LN2_HI = Math.log(2), LN2_LO = new java.math.BigDecimal("0.6931471805599453094172321214581766")
            .subtract(new java.math.BigDecimal(LN2_HI)).doubleValue();
    /** Adding and subtracting 1.5·2⁵² rounds a double of magnitude < 2⁵¹ to the nearest integer. */
    private static final double ROUND = 0x1.8p52;
    private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    /** 1/k! for k = 0..14. */
    private static final double[] INV_FACT = new double[15];
    static {
        double f = 1;
        for (int k = 0; k < INV_FACT.length; k++) { if (k > 0) f *= k; INV_FACT[k] = 1 / f; }
    }
    private static final double C2 = INV_FACT[2], C3 = INV_FACT[3], C4 = INV_FACT[4], C5 = INV_FACT[5], C6 = INV_FACT[6], C7 = INV_FACT[7],
            C8 = INV_FACT[8], C9 = INV_FACT[9], C10 = INV_FACT[10], C11 = INV_FACT[11], C12 = INV_FACT[12], C13 = INV_FACT[13], C14 = INV_FACT[14];

    // Constants are broadcast in place: the JDK force-inlines DoubleVector.broadcast, while a one-line helper of ours was left
    // out of line where a caller had used up its inlining budget, and returned a boxed vector (SVGD's logistic pass).

    static DoubleVector exp(DoubleVector x) {
        return expOfClamped(clamp(x, -746.0, 710.0));   // exp is 0 / +∞ beyond
    }

    /** x clamped to [lo, hi] by compare and blend, NaN kept: what MAX then MIN give, bit for bit (see FloatMath.clamp). */
    static DoubleVector clamp(DoubleVector x, double lo, double hi) {
        return x.blend(DoubleVector.broadcast(S, lo), x.compare(LT, lo)).blend(DoubleVector.broadcast(S, hi), x.compare(GT, hi));
    }

    /** {@link #exp} of an x already in [−746, 710] (or NaN), for callers that bound it on the way. */
    static DoubleVector expOfClamped(DoubleVector xc) {
        DoubleVector nr = xc.fma(LOG2E, ROUND), n = nr.sub(ROUND);
        DoubleVector r = n.neg().fma(DoubleVector.broadcast(S, LN2_HI), xc);
        r = n.neg().fma(DoubleVector.broadcast(S, LN2_LO), r);
        DoubleVector p = r.fma(C13, C12);
        p = p.fma(r, DoubleVector.broadcast(S, C11));
        p = p.fma(r, DoubleVector.broadcast(S, C10));
        p = p.fma(r, DoubleVector.broadcast(S, C9));
        p = p.fma(r, DoubleVector.broadcast(S, C8));
        p = p.fma(r, DoubleVector.broadcast(S, C7));
        p = p.fma(r, DoubleVector.broadcast(S, C6));
        p = p.fma(r, DoubleVector.broadcast(S, C5));
        p = p.fma(r, DoubleVector.broadcast(S, C4));
        p = p.fma(r, DoubleVector.broadcast(S, C3));
        p = p.fma(r, DoubleVector.broadcast(S, C2));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0));
        p = p.fma(r, DoubleVector.broadcast(S, 1.0));
        // n as an integer from nr's bits (nr = 1.5·2⁵² + n exactly): D2L would add Java's NaN and overflow fix-ups
        LongVector ni = nr.reinterpretAsLongs().sub(ROUND_BITS);
        LongVector n1 = ni.lanewise(ASHR, 1), n2 = ni.sub(n1);
        DoubleVector s1 = n1.add(1023L).lanewise(LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = n2.add(1023L).lanewise(LSHL, 52).reinterpretAsDoubles();
        return p.mul(s1).mul(s2);
    }

    /** σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) otherwise, e = e^{−|x|} (never overflows): the SIGMOID op's one expression. */
    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector na = x.lanewise(ABS).neg();
        return sigmoid(x, na.blend(DoubleVector.broadcast(S, -746.0), na.compare(LT, -746.0)));
    }

    /** {@link #sigmoid(DoubleVector)} given −|x| already clamped to [−746, 0] (or NaN): the same expression. */
    static DoubleVector sigmoid(DoubleVector x, DoubleVector negAbs) {
        DoubleVector e = expOfClamped(negAbs), r = DoubleVector.broadcast(S, 1).div(e.add(1));
        return r.blend(e.mul(r), x.compare(LT, 0));
    }

    static DoubleVector expm1(DoubleVector x) {
        DoubleVector p = x.fma(C14, C13);
        p = p.fma(x, DoubleVector.broadcast(S, C12)); p = p.fma(x, DoubleVector.broadcast(S, C11)); p = p.fma(x, DoubleVector.broadcast(S, C10)); p = p.fma(x, DoubleVector.broadcast(S, C9)); p = p.fma(x, DoubleVector.broadcast(S, C8)); p = p.fma(x, DoubleVector.broadcast(S, C7));
        p = p.fma(x, DoubleVector.broadcast(S, C6)); p = p.fma(x, DoubleVector.broadcast(S, C5)); p = p.fma(x, DoubleVector.broadcast(S, C4)); p = p.fma(x, DoubleVector.broadcast(S, C3)); p = p.fma(x, DoubleVector.broadcast(S, C2)); p = p.fma(x, DoubleVector.broadcast(S, 1.0));
        DoubleVector small = p.mul(x);
        return exp(x).sub(1.0).blend(small, x.lanewise(ABS).compare(LT, 0.34657359027997264));
    }

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector e = expm1(x.lanewise(ABS).mul(-2.0));
        DoubleVector t = e.neg().div(e.add(2.0));
        return t.blend(t.neg(), x.compare(LT, 0.0)).blend(x, x.compare(EQ, 0.0));
    }

    /** Lane i paired with lane i ^ h (masked into range so that the unused ones are valid for short vectors). */
    private static VectorShuffle<Double> pairs(int h) { return VectorShuffle.fromOp(S, i -> (i ^ h) & (L - 1)); }
    private static final VectorShuffle<Double> X1 = pairs(1), X2 = pairs(2), X4 = pairs(4), X8 = pairs(8);

    /**
     * The lane sum by a fixed pairwise tree (lanes i and i ^ h added for h = L/2 … 1): log₂L dependent
     * adds instead of L, and the same order in every JIT tier (each step is a lanewise IEEE add).
     */
    static double sum(DoubleVector v) {
        if (L > 16) { double s = 0; for (int i = 0; i < L; i++) s += v.lane(i); return s; }   // no such hardware yet
        if (L == 16) v = v.add(v.rearrange(X8));
        if (L >= 8) v = v.add(v.rearrange(X4));
        if (L >= 4) v = v.add(v.rearrange(X2));
        if (L >= 2) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }

    /** {@link #sum(DoubleVector)} of the L lanes stored at v[o..o+L), in the same order (bit-identical). May overwrite them. */
    static double sum(double[] v, int o) {
        if (L > 16) { double s = 0; for (int i = 0; i < L; i++) s += v[o + i]; return s; }
        if (L == 8) return sum8(v, o);   // 512-bit doubles; no 1024-bit hardware yet
        for (int h = L / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) v[o + i] += v[o + i + h];
        return v[o];
    }

    /** The tree written out in locals, as FloatMath's lane sums (see there why). */
    static double sum8(double[] v, int o) {
        double a0 = v[o] + v[o + 4], a1 = v[o + 1] + v[o + 5], a2 = v[o + 2] + v[o + 6], a3 = v[o + 3] + v[o + 7];
        a0 += a2; a1 += a3;
        return a0 + a1;
    }
}
