package sivi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

class PosteriorComparisonTest {
    @Test void w1IsExactOnSmallSamplesOfUnequalSize() {
        assertEquals(1.0, SlicedWasserstein.w1(new double[] {0, 1}, new double[] {1, 2}), 1e-15);
        // {0} against {0, 3}: half the mass moves by 3
        assertEquals(1.5, SlicedWasserstein.w1(new double[] {0}, new double[] {0, 3}), 1e-15);
        assertEquals(4.5, SlicedWasserstein.w2Squared(new double[] {0}, new double[] {0, 3}), 1e-15);
    }

    private static double[][] reference() {
        Rng rng = new Rng(5);
        double[][] r = new double[2000][3];
        for (double[] row : r) { row[0] = 10 + 3 * rng.nextGaussian(); row[1] = -2 + 0.5 * rng.nextGaussian(); row[2] = rng.nextGaussian() * 100; }
        return r;
    }

    @Test void theReferenceAgainstItselfScoresZero() {
        double[][] r = reference();
        PosteriorComparison c = PosteriorComparison.of(r, r);
        assertEquals(0, c.zMeanMax(), 1e-12);
        assertEquals(1, c.sdRatioWorst(), 1e-12);
        assertEquals(0, c.w1MarginalMax(), 0);
        assertEquals(0, c.w1Sliced(), 0);
    }

    /**
     * The reference shifted by c reference sds in coordinate 0: z = c and every projection moves by
     * c·|θ0| exactly, so the marginal W1 is c and the sliced W1 is c times the mean of |θ0| over the
     * 100 directions; in 3 dimensions θ0 is uniform on [−1, 1], so |θ0| has mean 1/2 and sd 1/√12,
     * and the 100-direction mean lies within 4 standard errors (4·0.0289) of 1/2.
     */
    @Test void aShiftByCSdsScoresC() {
        double[][] r = reference(), x = new double[r.length][];
        double sd0 = Math.sqrt(variance(r, 0)), c = 0.7;
        for (int i = 0; i < r.length; i++) { x[i] = r[i].clone(); x[i][0] += c * sd0; }
        PosteriorComparison p = PosteriorComparison.of(x, r);
        assertEquals(c, p.zMeanMax(), 1e-12);
        assertEquals(1, p.sdRatioWorst(), 1e-12);
        assertEquals(c, p.w1MarginalMax(), 1e-12);
        assertEquals(c / 3, p.w1MarginalMean(), 1e-12);
        assertEquals(c * 0.5, p.w1Sliced(), c * 4 * Math.sqrt(1.0 / 12) / Math.sqrt(PosteriorComparison.PROJECTIONS));
    }

    /** Scaling coordinate 1 about its mean by s: sd ratio s, marginal W1 = |s − 1|·mean|z| of the same sample. */
    @Test void aScaledCoordinateGivesItsSdRatio() {
        double[][] r = reference(), x = new double[r.length][];
        double m1 = mean(r, 1), sd1 = Math.sqrt(variance(r, 1)), s = 0.8, absZ = 0;
        for (int i = 0; i < r.length; i++) { x[i] = r[i].clone(); x[i][1] = m1 + s * (r[i][1] - m1); absZ += Math.abs(r[i][1] - m1) / sd1 / r.length; }
        PosteriorComparison p = PosteriorComparison.of(x, r);
        assertEquals(s, p.sdRatioWorst(), 1e-12);
        assertEquals((1 - s) * absZ, p.w1MarginalMax(), 1e-12);
        assertEquals(0, p.zMeanMax(), 1e-12);
    }

    @Test void badShapesAndAConstantReferenceAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> PosteriorComparison.of(new double[][] {{1, 2}}, new double[][] {{1}, {2}}));
        assertThrows(IllegalArgumentException.class, () -> PosteriorComparison.of(new double[][] {{1}}, new double[][] {{1}, {1}}));
    }

    private static double mean(double[][] x, int j) { double m = 0; for (double[] r : x) m += r[j]; return m / x.length; }

    private static double variance(double[][] x, int j) {
        double m = mean(x, j), v = 0;
        for (double[] r : x) v += (r[j] - m) * (r[j] - m);
        return v / (x.length - 1);
    }
}
