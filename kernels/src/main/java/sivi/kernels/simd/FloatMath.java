package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic lanewise exp, expm1, tanh and lane sums for float vectors, from +, ×, FMA and
 * integer bit operations only. Why not the Vector API's EXP/TANH and reduceLanes(ADD): their
 * results differ between interpreted and JIT-compiled code (the compiled EXP calls an SVML-style
 * stub, the interpreter java.lang.Math; ADD reductions change order), so a run's results would
 * depend on JIT timing. Hand-written twin of {@link DoubleMath} (constants differ, so not generated).
 *
 * <p>exp: n = round(x/ln 2), r = x − n ln 2 (two-part ln 2 with FMA), Taylor polynomial of
 * degree 7 on |r| ≤ ln2/2 (truncation < 2⁻²⁷), scaled by 2^n in two steps so that subnormal results
 * round once. Within 2 ulps of the correctly rounded result; overflow gives +∞, exp(−∞) = 0, NaN stays NaN.
 */
final class FloatMath {
    private FloatMath() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static final float LOG2E = (float) (1 / Math.log(2));
    private static final float LN2_HI = (float) Math.log(2), LN2_LO = (float) (Math.log(2) - (double) LN2_HI);
    /** Adding and subtracting 1.5·2²³ rounds a float of magnitude < 2²² to the nearest integer. */
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    // Constants are broadcast in place: the JDK force-inlines FloatVector.broadcast, while a one-line helper of ours was left
    // out of line where a caller had used up its inlining budget, and returned a boxed vector (SVGD's logistic pass).

    static FloatVector exp(FloatVector x) {
        return expOfClamped(clamp(x, (float) -104, (float) 89));   // exp is 0 / +∞ beyond
    }

    /**
     * x clamped to [lo, hi] by compare and blend, NaN kept: what MAX then MIN give, bit for bit (±0 alike). Java's
     * lanewise MAX and MIN order NaN and ±0 with extra instructions; with them the clamp was a third of exp's time
     * (AVX-512: exp took 0.32 ns per element with MAX and MIN, 0.20 with this).
     */
    static FloatVector clamp(FloatVector x, float lo, float hi) {
        return x.blend(FloatVector.broadcast(S, lo), x.compare(LT, lo)).blend(FloatVector.broadcast(S, hi), x.compare(GT, hi));
    }

    /** {@link #exp} of an x already in [−104, 89] (or NaN), for callers that bound it on the way. */
    static FloatVector expOfClamped(FloatVector xc) {
        FloatVector nr = xc.fma(LOG2E, ROUND), n = nr.sub(ROUND);
        FloatVector r = n.neg().fma(FloatVector.broadcast(S, LN2_HI), xc);
        r = n.neg().fma(FloatVector.broadcast(S, LN2_LO), r);
        // e^r = 1 + r + r²/2! + … + r⁷/7! by Horner
        FloatVector p = r.fma((float) (1.0 / 5040), (float) (1.0 / 720));
        p = p.fma(r, FloatVector.broadcast(S, (float) (1.0 / 120)));
        p = p.fma(r, FloatVector.broadcast(S, (float) (1.0 / 24)));
        p = p.fma(r, FloatVector.broadcast(S, (float) (1.0 / 6)));
        p = p.fma(r, FloatVector.broadcast(S, (float) 0.5));
        p = p.fma(r, FloatVector.broadcast(S, (float) 1));
        p = p.fma(r, FloatVector.broadcast(S, (float) 1));
        // n as an integer from nr's bits (nr = 1.5·2²³ + n exactly): F2I would add Java's NaN and overflow fix-ups
        IntVector ni = nr.reinterpretAsInts().sub(ROUND_BITS);
        IntVector n1 = ni.lanewise(ASHR, 1), n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) otherwise, e = e^{−|x|} (never overflows): the SIGMOID op's one expression. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector na = x.lanewise(ABS).neg();
        return sigmoid(x, na.blend(FloatVector.broadcast(S, (float) -104), na.compare(LT, (float) -104)));
    }

    /** {@link #sigmoid(FloatVector)} given −|x| already clamped to [−104, 0] (or NaN): the same expression. */
    static FloatVector sigmoid(FloatVector x, FloatVector negAbs) {
        FloatVector e = expOfClamped(negAbs), r = FloatVector.broadcast(S, (float) 1).div(e.add((float) 1));
        return r.blend(e.mul(r), x.compare(LT, (float) 0));
    }

    /** e^x − 1: Taylor polynomial of degree 7 for |x| < ln2/2 (no cancellation), else exp(x) − 1 (≤ 3.5 u of cancellation). */
    static FloatVector expm1(FloatVector x) {
        FloatVector p = x.fma((float) (1.0 / 5040), (float) (1.0 / 720));
        p = p.fma(x, FloatVector.broadcast(S, (float) (1.0 / 120)));
        p = p.fma(x, FloatVector.broadcast(S, (float) (1.0 / 24)));
        p = p.fma(x, FloatVector.broadcast(S, (float) (1.0 / 6)));
        p = p.fma(x, FloatVector.broadcast(S, (float) 0.5));
        p = p.fma(x, FloatVector.broadcast(S, (float) 1));
        FloatVector small = p.mul(x);
        return exp(x).sub((float) 1).blend(small, x.lanewise(ABS).compare(LT, (float) 0.3465736));
    }

    /** tanh x = −expm1(−2|x|) / (2 + expm1(−2|x|)) with the sign of x: accurate near 0, exactly ±1 far out. */
    static FloatVector tanh(FloatVector x) {
        FloatVector e = expm1(x.lanewise(ABS).mul((float) -2));
        FloatVector t = e.neg().div(e.add((float) 2));
        return t.blend(t.neg(), x.compare(LT, (float) 0)).blend(x, x.compare(EQ, (float) 0));   // keeps ±0
    }

    /** Lane i paired with lane i ^ h (masked into range so that the unused ones are valid for short vectors). */
    private static VectorShuffle<Float> pairs(int h) { return VectorShuffle.fromOp(S, i -> (i ^ h) & (L - 1)); }
    private static final VectorShuffle<Float> X1 = pairs(1), X2 = pairs(2), X4 = pairs(4), X8 = pairs(8);

    /**
     * The lane sum by a fixed pairwise tree (lanes i and i ^ h added for h = L/2 … 1): log₂L dependent
     * adds instead of L, and the same order in every JIT tier (each step is a lanewise IEEE add).
     */
    static float sum(FloatVector v) {
        if (L > 16) { float s = 0; for (int i = 0; i < L; i++) s += v.lane(i); return s; }   // no such hardware yet
        if (L == 16) v = v.add(v.rearrange(X8));
        if (L >= 8) v = v.add(v.rearrange(X4));
        if (L >= 4) v = v.add(v.rearrange(X2));
        if (L >= 2) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }

    /**
     * {@link #sum(FloatVector)} of the L lanes stored at v[o..o+L), in the same order (lane i plus lane
     * i + h for h = L/2 … 1; float addition is commutative, so this is bit-identical). May overwrite them.
     */
    static float sum(float[] v, int o) {
        if (L > 16) { float s = 0; for (int i = 0; i < L; i++) s += v[o + i]; return s; }
        if (L == 16) return sum16(v, o);
        if (L == 8) return sum8(v, o);
        for (int h = L / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) v[o + i] += v[o + i + h];
        return v[o];
    }

    // The tree written out in locals: the loop above adds values it has just stored, and each level waited for
    // store-to-load forwarding (a third of the mixture backward's time, one lane sum per coordinate and row).

    static float sum16(float[] v, int o) {
        float a0 = v[o] + v[o + 8], a1 = v[o + 1] + v[o + 9], a2 = v[o + 2] + v[o + 10], a3 = v[o + 3] + v[o + 11];
        float a4 = v[o + 4] + v[o + 12], a5 = v[o + 5] + v[o + 13], a6 = v[o + 6] + v[o + 14], a7 = v[o + 7] + v[o + 15];
        a0 += a4; a1 += a5; a2 += a6; a3 += a7;
        a0 += a2; a1 += a3;
        return a0 + a1;
    }

    static float sum8(float[] v, int o) {
        float a0 = v[o] + v[o + 4], a1 = v[o + 1] + v[o + 5], a2 = v[o + 2] + v[o + 6], a3 = v[o + 3] + v[o + 7];
        a0 += a2; a1 += a3;
        return a0 + a1;
    }
}
