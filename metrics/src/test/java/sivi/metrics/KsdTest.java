package sivi.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

/** KSD of exact N(0, I_3) samples with exact scores -x, and of a shifted sample scored by the same target. */
class KsdTest {
    static double[][] scores(double[][] x) {
        double[][] s = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[i].length; j++) s[i][j] = -x[i][j];
        return s;
    }

    @Test
    void exactSamplesHaveKsdZeroWithinThreeStandardErrors() {
        double[][] x = Draw.gaussian(1000, Draw.fill(3, 0), 1, new Rng(1));
        for (Ksd k : new Ksd[] {Ksd.rbf(x, scores(x)), Ksd.imq(x, scores(x))}) {
            assertTrue(Math.abs(k.u()) < 3 * k.standardError(), k.toString());
            assertTrue(k.v() >= 0, "V-statistic is a squared RKHS norm: " + k);
        }
    }

    @Test
    void shiftedSampleHasClearlyPositiveKsd() {
        double[][] x = Draw.gaussian(1000, Draw.fill(3, 0.7), 1, new Rng(2));
        double[][] s = new double[x.length][3];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < 3; j++) s[i][j] = -x[i][j]; // score of N(0, I)
        for (Ksd k : new Ksd[] {Ksd.rbf(x, s), Ksd.imq(x, s)}) {
            assertTrue(k.u() > 5 * k.standardError(), k.toString());
            assertTrue(k.v() > k.u(), "V adds the positive diagonal terms: " + k);
        }
    }

    /**
     * Hand case, one dimension, x = (0, 1, 0), scores (0, -1, 0), IMQ c = 1, beta = -1/2. For the pair
     * (x1, x2): r = -1, q = 2, k = 2^-1/2, a = 2 beta q^-3/2 = -2^-3/2 (grad_x k = a r),
     * trace = -2 beta q^-3/2 - 4 beta (beta - 1) q^-5/2 r^2 = 2^-3/2 - 3 2^-5/2, so
     * u12 = s1 s2 k - a s1 r + a s2 r + trace = 0 - 0 + (-2^-3/2)(-1)(-1) + 2^-3/2 - 3 2^-5/2 = -3 2^-5/2.
     * At r = 0 (q = 1): k = 1, trace = -2 beta = 1, so u11 = u33 = u13 = 0 + 1 = 1 and u22 = s2^2 + 1 = 2;
     * u23 = u12 by symmetry.
     */
    @Test
    void imqSteinKernelMatchesHandComputation() {
        double[][] x = {{0}, {1}, {0}}, s = {{0}, {-1}, {0}};
        Ksd k = Ksd.imq(x, s);
        double u12 = -3 * Math.pow(2, -2.5), u11 = 1, u22 = 2, u13 = 1;
        double pairSum = 2 * (u12 + u13 + u12);
        assertEquals(pairSum / 6, k.u(), 1e-14);
        assertEquals((pairSum + u11 + u22 + u11) / 9, k.v(), 1e-14);
    }
}
