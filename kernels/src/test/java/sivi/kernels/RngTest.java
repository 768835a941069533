package sivi.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Box–Muller functions against the JDK's, and the Gaussian draws against N(0, 1). */
class RngTest {
    /** |a − b| in units of b's ulp. */
    private static double ulps(double a, double b) { return Math.abs(a - b) / Math.ulp(b); }

    @Test void lnUnitIsWithinTwoUlpsOfMathLog() {
        Rng r = Rng.of(7, 0);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double u = 1.0 - r.nextDouble();
            worst = Math.max(worst, ulps(BoxMuller.lnUnit(u), Math.log(u)));
        }
        // the edges: 1 (ln = 0 exactly), the smallest u1 Rng makes (2^-53), around √2/2 and √½ where the reduction switches, powers of 2
        assertEquals(0.0, BoxMuller.lnUnit(1.0));
        double[] edges = {0x1p-53, 0x1p-1, 0x1p-2, Math.sqrt(0.5), Math.nextUp(Math.sqrt(0.5)), Math.nextDown(Math.sqrt(0.5)),
                Math.nextDown(1.0), 1 - 0x1p-30, 0.75, 0.999, 1e-10};
        for (double u : edges) worst = Math.max(worst, ulps(BoxMuller.lnUnit(u), Math.log(u)));
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test void polarIsWithinAFewUlpsOfMathCosSin() {
        Rng r = Rng.of(8, 0);
        double[] out = new double[2];
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double u = r.nextDouble();
            BoxMuller.polar(1, u, out, 0);
            double t = 2 * Math.PI * u;
            // the JDK's argument 2πu carries its own rounding (≤ ½ ulp of t, times |t| up to 2π): compare in absolute
            // terms against the larger of ulp(1) and the result's ulp
            worst = Math.max(worst, Math.abs(out[0] - Math.cos(t)) / Math.max(Math.ulp(1.0), Math.ulp(Math.cos(t))));
            worst = Math.max(worst, Math.abs(out[1] - Math.sin(t)) / Math.max(Math.ulp(1.0), Math.ulp(Math.sin(t))));
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulp of 1");
        // exact at the quadrant points, the radius multiplies both
        double[][] quadrants = {{0, 1, 0}, {0.25, 0, 1}, {0.5, -1, 0}, {0.75, 0, -1}};
        for (double[] q : quadrants) {
            BoxMuller.polar(3, q[0], out, 0);
            assertEquals(3 * q[1], out[0], 0.0, "cos at u = " + q[0]);
            assertEquals(3 * q[2], out[1], 0.0, "sin at u = " + q[0]);
        }
        BoxMuller.polar(1, Math.nextDown(1.0), out, 0);
        assertEquals(1, out[0], 1e-15);
        assertEquals(-2 * Math.PI * 0x1p-53, out[1], 1e-30);
        // cos² + sin² = 1 away from the reduction points too
        for (double u : new double[] {0.125, 0.375, 0.1, 0.9, 0x1p-40}) {
            BoxMuller.polar(1, u, out, 0);
            assertEquals(1, out[0] * out[0] + out[1] * out[1], 4e-16, "u = " + u);
        }
    }

    @Test void gaussianDrawsHaveTheStandardNormalsMomentsAndCdf() {
        Rng r = Rng.of(2022, 3);
        int n = 400_000;
        double[] v = new double[n + 1];
        r.fillGaussian(v, 0, n + 1);                        // odd length: the last from nextGaussian
        double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
        for (double x : v) { m1 += x; m2 += x * x; m3 += x * x * x; m4 += x * x * x * x; }
        int cnt = v.length;
        m1 /= cnt; m2 /= cnt; m3 /= cnt; m4 /= cnt;
        // five standard errors of each sample moment (sd of x^k: 1, √2, √15, √96)
        double se = 1 / Math.sqrt(cnt);
        assertEquals(0, m1, 5 * se);
        assertEquals(1, m2, 5 * Math.sqrt(2) * se);
        assertEquals(0, m3, 5 * Math.sqrt(15) * se);
        assertEquals(3, m4, 5 * Math.sqrt(96) * se);
        // Kolmogorov–Smirnov against Φ: P(√n·D > 1.95) ≈ 0.001
        java.util.Arrays.sort(v);
        double d = 0;
        for (int i = 0; i < cnt; i++) {
            double f = phi(v[i]);
            d = Math.max(d, Math.max(f - (double) i / cnt, (double) (i + 1) / cnt - f));
        }
        assertTrue(Math.sqrt(cnt) * d < 1.95, "KS statistic √n·D = " + Math.sqrt(cnt) * d);
        // the two halves of a pair are uncorrelated (cos and sin of one angle)
        Rng r2 = Rng.of(5, 5);
        double[] w = new double[2 * 100_000];
        r2.fillGaussian(w, 0, w.length);
        double c = 0;
        for (int i = 0; i < w.length; i += 2) c += w[i] * w[i + 1];
        assertEquals(0, c / 100_000, 5 / Math.sqrt(100_000));
    }

    @Test void drawsDependOnlyOnTheSeedAndTheCallSequence() {
        double[] a = new double[11], b = new double[11];
        Rng.of(1, 2).fillGaussian(a, 0, 11);
        Rng.of(1, 2).fillGaussian(b, 0, 11);
        assertArrayEquals(a, b);
        Rng x = Rng.of(1, 2), y = Rng.fromState(x.state());
        assertEquals(x.nextGaussian(), y.nextGaussian());
    }

    /** Φ(x) = ½·erfc(−x/√2). */
    private static double phi(double x) { return 0.5 * erfc(-x / Math.sqrt(2)); }

    /** erfc: Taylor series of erf below 3 (≈ 1e-13 after cancellation), Laplace's continued fraction above. */
    private static double erfc(double x) {
        if (x < 0) return 2 - erfc(-x);
        if (x < 3) {
            double sum = 0, term = x; int k = 0;
            while (Math.abs(term) > 1e-17 * Math.abs(sum) || k < 3) {
                sum += term / (2 * k + 1);
                k++;
                term *= -x * x / k;
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        double f = 0;                                      // erfc x = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))
        for (int k = 60; k >= 1; k--) f = (k / 2.0) / (x + f);
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
    }

    /** The vector fill (behind Rng.normal) gives the same Gaussians as Rng.fillGaussian, bit for bit, and the same generator state after, for any length and offset. */
    @Test void blockFillIsTheScalarFillBitForBit() {
        int[] lengths = {0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 100, 1001};
        for (int n : lengths) for (int from : new int[] {0, 3}) {
            Rng a = Rng.of(n, from), b = Rng.of(n, from);
            a.nextLong();                                   // start mid-stream
            b.nextLong();
            double[] want = new double[from + n + 2], got = new double[from + n + 2];
            Arrays.fill(want, -7);
            Arrays.fill(got, -7);
            a.fillGaussian(want, from, from + n);
            GaussianDraws.fill(b, got, from, from + n);
            for (int i = 0; i < want.length; i++)
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), "n = " + n + ", from = " + from + ", [" + i + "]: " + want[i] + " vs " + got[i]);
            assertArrayEquals(a.state(), b.state(), "state after n = " + n);
        }
        // the fill an empty or reversed range makes: nothing written, nothing drawn
        Rng a = Rng.of(1, 1);
        GaussianDraws.fill(a, new double[4], 3, 2);
        assertArrayEquals(Rng.of(1, 1).state(), a.state());
    }
}
