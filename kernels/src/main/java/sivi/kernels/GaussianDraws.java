package sivi.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Rng#fillGaussian} for L pairs at a time, bit for bit: lane k of a block takes SplitMix64 states
 * s + (2p + 1)·γ and s + (2p + 2)·γ (the additive state lets every lane jump to its own draws) and
 * repeats {@link sivi.kernels.BoxMuller}'s arithmetic op for op (IEEE lanewise +, −, ×, ÷, fma and
 * √ round as the scalar ones do). Vectors stay inside {@link #block}: none crosses a call C2 might not inline.
 */
final class GaussianDraws {
    private GaussianDraws() {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int L = D.length();
    private static final double[] ATANH2 = BoxMuller.lnCoefficients(), SIN = BoxMuller.sinCoefficients(), COS = BoxMuller.cosCoefficients();

    /** Standard normals from rng's next draws into out[from..to), advancing rng as the scalar fill does. */
    static void fill(Rng rng, double[] out, int from, int to) {
        int pairs = Math.max(0, to - from) / 2, bulk = pairs - pairs % L;
        if (bulk > 0 && LS.length() == L) {
            long[] st = rng.state();
            long s = st[0], g = st[1];
            double[] c = new double[L], sn = new double[L];
            for (int p = 0; p < bulk; p += L) {
                block(s + (2L * p + 1) * g, g, c, sn);
                for (int k = 0, o = from + 2 * p; k < L; k++, o += 2) { out[o] = c[k]; out[o + 1] = sn[k]; }
            }
            rng.skip(2L * bulk);
        } else {
            bulk = 0;
        }
        rng.fillGaussian(out, from + 2 * bulk, to);
    }

    /**
     * L pairs whose u₁ states are first + 2k·γ in lane k (u₂'s one γ later): radius·cos into c, radius·sin into sn. Takes the
     * first state as a long, not a vector: block is too large for C2 to inline into fill, and a vector argument was boxed
     * on every call (7 % of a KSIVI lr-waveform N = 100 step's allocated bytes).
     */
    private static void block(long first, long g, double[] c, double[] sn) {
        LongVector s1 = LongVector.broadcast(LS, first).add(LongVector.zero(LS).addIndex(1).mul(2 * g));   // lane k: first + 2k·γ
        DoubleVector u1 = DoubleVector.broadcast(D, 1.0).sub(uniform(s1)), u2 = uniform(s1.add(g));
        // ln u₁ (BoxMuller.lnUnit)
        LongVector bits = u1.reinterpretAsLongs();
        LongVector mant = bits.and(0x000f_ffff_ffff_ffffL);
        LongVector high = LongVector.broadcast(LS, 0x6_a09e_667f_3bccL).sub(mant).lanewise(LSHR, 63);
        LongVector e = bits.lanewise(LSHR, 52).sub(1023).add(high);
        DoubleVector m = mant.or(LongVector.broadcast(LS, 0x3ffL).sub(high).lanewise(LSHL, 52)).reinterpretAsDoubles();
        DoubleVector f = m.sub(1.0);
        DoubleVector s = f.div(f.add(2.0)), z = s.mul(s), z2 = z.mul(z), z4 = z2.mul(z2);
        double[] a = ATANH2;
        DoubleVector p01 = z.fma(a[1], a[0]), p23 = z.fma(a[3], a[2]), p45 = z.fma(a[5], a[4]);
        DoubleVector p67 = z.fma(a[7], a[6]), p89 = z.fma(a[9], a[8]);
        DoubleVector r = p89.fma(z4, p67.fma(z2, p45)).fma(z4, p23.fma(z2, p01)).mul(z);
        DoubleVector hfsq = f.mul(0.5).mul(f);
        DoubleVector ed = (DoubleVector) e.convert(L2D, 0);
        DoubleVector lo = s.fma(hfsq.add(r), ed.mul(BoxMuller.LN2_LO));
        DoubleVector ln = ed.mul(BoxMuller.LN2_HI).add(f.sub(hfsq.sub(lo)));
        DoubleVector radius = ln.mul(-2.0).sqrt();
        // (cos 2πu₂, sin 2πu₂) (BoxMuller.polar)
        LongVector q = (LongVector) u2.mul(4.0).add(0.5).convert(D2L, 0);
        DoubleVector x = u2.sub(((DoubleVector) q.convert(L2D, 0)).mul(0.25)), y = x.mul(x), y2 = y.mul(y), y4 = y2.mul(y2);
        double[] sc = SIN, cc = COS;
        DoubleVector s01 = y.fma(sc[1], sc[0]), s23 = y.fma(sc[3], sc[2]), s45 = y.fma(sc[5], sc[4]), s67 = y.fma(sc[7], sc[6]);
        DoubleVector sp = DoubleVector.broadcast(D, sc[8]).fma(y4, s67.fma(y2, s45)).fma(y4, s23.fma(y2, s01));
        DoubleVector c01 = y.fma(cc[1], cc[0]), c23 = y.fma(cc[3], cc[2]), c45 = y.fma(cc[5], cc[4]);
        DoubleVector c67 = y.fma(cc[7], cc[6]), c89 = y.fma(cc[9], cc[8]);
        DoubleVector cp = c89.fma(y4, c67.fma(y2, c45)).fma(y4, c23.fma(y2, c01));
        DoubleVector sv = x.mul(sp), cv = cp.fma(y, DoubleVector.broadcast(D, 1.0));
        LongVector q3 = q.and(3L);
        VectorMask<Double> q1 = q3.compare(EQ, 1L).cast(D), q2 = q3.compare(EQ, 2L).cast(D), q3m = q3.compare(EQ, 3L).cast(D);
        DoubleVector zero = DoubleVector.zero(D);
        DoubleVector qc = DoubleVector.broadcast(D, 1.0).blend(zero, q1).blend(-1.0, q2).blend(zero, q3m);
        DoubleVector qs = zero.blend(1.0, q1).blend(-1.0, q3m);
        radius.mul(cv.mul(qc).sub(sv.mul(qs))).intoArray(c, 0);
        radius.mul(sv.mul(qc).add(cv.mul(qs))).intoArray(sn, 0);
    }

    /** Rng.nextDouble of the states in s: (mix64(state) >>> 11)·2⁻⁵³. */
    private static DoubleVector uniform(LongVector state) {
        LongVector z = state;
        z = z.lanewise(XOR, z.lanewise(LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
        z = z.lanewise(XOR, z.lanewise(LSHR, 27)).mul(0x94d049bb133111ebL);
        z = z.lanewise(XOR, z.lanewise(LSHR, 31));
        return ((DoubleVector) z.lanewise(LSHR, 11).convert(L2D, 0)).mul(0x1p-53);
    }
}
