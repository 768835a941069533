package sivi.kernels;

/**
 * The two functions of the Box–Muller transform, ln u on (0, 1] and (cos 2πu, sin 2πu) on [0, 1), in
 * IEEE +, −, ×, ÷ and fma only. Why not {@code Math.log/sin/cos}: they took ~70 % of a Gaussian draw
 * (their general range reductions; ours are exact on these domains), and the JDK lets them differ by
 * an ulp between platforms, so seeded draws could too; these give the same bits on every JVM.
 * Both are accurate to about an ulp ({@code RngTest} bounds them against the JDK's). They are the
 * oracle of the SIMD backend's Gaussian fill, which repeats them op for op (hence the public terms).
 */
public final class BoxMuller {
    private BoxMuller() {}

    /** ln 2 split so that e·LN2_HI is exact for |e| &lt; 2¹¹ (the high part has 32 significant bits). */
    public static final double LN2_HI = 0x1.62e42feep-1, LN2_LO = 0x1.a39ef35793c76p-33;
    /** 2/(2k+1), k = 1…10: ln((1+s)/(1−s)) = 2s + s·Σ_k (2/(2k+1))·s^{2k}; |s| ≤ 0.172 makes s^{22}/23 negligible. */
    private static final double[] ATANH2 = new double[10];
    /** ±(2π)^{2j+1}/(2j+1)!, j = 0…8, and ±(2π)^{2j}/(2j)!, j = 1…10 (alternating signs): |2πx| ≤ π/4 leaves < 1e-17 out. */
    private static final double[] SIN = new double[9], COS = new double[10];
    /** cos and sin of the quadrant angle qπ/2, q = 0…3 (exact). */
    private static final double[] QCOS = {1, 0, -1, 0}, QSIN = {0, 1, 0, -1};
    private static final double TWO_PI = 2 * Math.PI;

    static {
        for (int k = 1; k <= ATANH2.length; k++) ATANH2[k - 1] = 2.0 / (2 * k + 1);
        double term = 1;                                    // (2π)^n / n!
        for (int n = 1; n <= 2 * COS.length; n++) {
            term = term * TWO_PI / n;
            int j = n / 2;
            double signed = (j % 2 == 0) ? term : -term;
            if (n % 2 == 1 && j < SIN.length) SIN[j] = signed;          // x·(2π − (2π)³x²/3! + …)
            if (n % 2 == 0) COS[j - 1] = signed;                       // 1 + x²·(−(2π)²/2! + …)
        }
    }

    /** The ln coefficients 2/(2k+1), k = 1…10 (a copy). */
    public static double[] lnCoefficients() { return ATANH2.clone(); }

    /** The sin 2πx coefficients ±(2π)^{2j+1}/(2j+1)!, j = 0…8 (a copy). */
    public static double[] sinCoefficients() { return SIN.clone(); }

    /** The cos 2πx coefficients ±(2π)^{2j}/(2j)!, j = 1…10 (a copy). */
    public static double[] cosCoefficients() { return COS.clone(); }

    /**
     * ln u for u in (0, 1] (normal doubles). u = 2^e·(1 + f) with 1 + f in [√½, √2): f is exact, and
     * ln(1 + f) = f − (f²/2 − s·(f²/2 + R(s²))) with s = f/(2 + f), the small terms added last.
     */
    static double lnUnit(double u) {
        long bits = Double.doubleToRawLongBits(u);
        int e = (int) (bits >>> 52) - 1023;
        long mant = bits & 0x000f_ffff_ffff_ffffL;
        // 1 when the mantissa exceeds √2's (0x6a09e667f3bcd): then use (1 + f)/2 and e + 1; no branch on random bits
        long high = (0x6_a09e_667f_3bccL - mant) >>> 63;
        double m = Double.longBitsToDouble(mant | ((0x3ffL - high) << 52));
        e += (int) high;
        double f = m - 1;                                   // exact (Sterbenz)
        double s = f / (2 + f), z = s * s, z2 = z * z, z4 = z2 * z2;
        double[] a = ATANH2;                                // Estrin's scheme: a shorter dependency chain than Horner's
        double p01 = Math.fma(a[1], z, a[0]), p23 = Math.fma(a[3], z, a[2]), p45 = Math.fma(a[5], z, a[4]);
        double p67 = Math.fma(a[7], z, a[6]), p89 = Math.fma(a[9], z, a[8]);
        double r = Math.fma(Math.fma(p89, z4, Math.fma(p67, z2, p45)), z4, Math.fma(p23, z2, p01)) * z;
        double hfsq = 0.5 * f * f;
        double lo = Math.fma(s, hfsq + r, e * LN2_LO);
        return e * LN2_HI + (f - (hfsq - lo));
    }

    /**
     * out[at] = r·cos 2πu, out[at + 1] = r·sin 2πu for u in [0, 1). u − q/4 with q the nearest quadrant is
     * exact (u is a multiple of 2⁻⁵³), so the reduction adds no error; the quadrant is a rotation by exact
     * 0/±1 factors (no branch on the random q).
     */
    static void polar(double r, double u, double[] out, int at) {
        int q = (int) (4 * u + 0.5);                        // the nearest quadrant (4u exact; a tie may go up: |x| ≤ 1/8 + 2⁻⁵³)
        double x = u - 0.25 * q, y = x * x;                 // |x| ≤ 1/8
        double y2 = y * y, y4 = y2 * y2;
        double[] sn = SIN, cs = COS;                        // Estrin's scheme, as in lnUnit
        double s01 = Math.fma(sn[1], y, sn[0]), s23 = Math.fma(sn[3], y, sn[2]), s45 = Math.fma(sn[5], y, sn[4]), s67 = Math.fma(sn[7], y, sn[6]);
        double sp = Math.fma(Math.fma(sn[8], y4, Math.fma(s67, y2, s45)), y4, Math.fma(s23, y2, s01));
        double c01 = Math.fma(cs[1], y, cs[0]), c23 = Math.fma(cs[3], y, cs[2]), c45 = Math.fma(cs[5], y, cs[4]);
        double c67 = Math.fma(cs[7], y, cs[6]), c89 = Math.fma(cs[9], y, cs[8]);
        double cp = Math.fma(Math.fma(c89, y4, Math.fma(c67, y2, c45)), y4, Math.fma(c23, y2, c01));
        double s = x * sp, c = Math.fma(cp, y, 1);
        q &= 3;
        double qc = QCOS[q], qs = QSIN[q];
        out[at] = r * (c * qc - s * qs);
        out[at + 1] = r * (s * qc + c * qs);
    }
}
