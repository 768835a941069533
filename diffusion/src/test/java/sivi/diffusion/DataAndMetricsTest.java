package sivi.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.diffusion.eval.Frechet;
import sivi.diffusion.eval.KnnKl;
import sivi.diffusion.eval.Mmd;
import sivi.diffusion.eval.SlicedWasserstein;
import sivi.kernels.Rng;

class DataAndMetricsTest {
    @Test void eightGaussiansLieNearTheirCentres() {
        for (double[] p : Toy2d.EIGHT_GAUSSIANS.sample(new Rng(1), 2000)) {
            double r = Math.hypot(p[0], p[1]);
            assertTrue(Math.abs(r - 4 / 1.414) < 6 * 0.5 / 1.414 * 1.5, "radius " + r);   // 0.5/1.414 noise sd per axis, generous 9-sigma band
        }
    }

    @Test void checkerboardPointsAreOnTheDarkSquares() {
        for (double[] p : Toy2d.CHECKERBOARD.sample(new Rng(2), 2000)) {
            assertTrue(p[0] >= -4 && p[0] < 4 && p[1] >= -4 && p[1] < 4);
            long cx = (long) Math.floor(p[0] / 2), cy = (long) Math.floor(p[1] / 2);
            assertEquals(0, Math.floorMod(cx + cy, 2) == 0 ? 0 : 1, "square parity at " + p[0] + "," + p[1]);
        }
    }

    @Test void swissRollRadiusRange() {
        double lo = Double.MAX_VALUE, hi = 0;
        for (double[] p : Toy2d.SWISSROLL.sample(new Rng(3), 5000)) { double r = Math.hypot(p[0], p[1]); lo = Math.min(lo, r); hi = Math.max(hi, r); }
        assertTrue(lo < 1.2 && hi > 2.5 && hi < 4.0, lo + " " + hi);   // t/5 spans [0.94, 2.83] plus N(0, 0.04) noise
    }

    @Test void digitsLoadScaledToPlusMinusOne() {
        Digits d = Digits.load();
        assertEquals(1797, d.size());
        assertEquals(64, d.images()[0].length);
        double mn = 1, mx = -1;
        for (double[] r : d.images()) for (double v : r) { mn = Math.min(mn, v); mx = Math.max(mx, v); }
        assertEquals(-1, mn, 0); assertEquals(1, mx, 0);
        assertEquals(0, d.labels()[0]);
    }

    private static double[][] gauss(Rng rng, int n, double shift) {
        double[][] a = new double[n][2];
        for (double[] r : a) { r[0] = rng.nextGaussian() + shift; r[1] = rng.nextGaussian(); }
        return a;
    }

    @Test void metricsSeparateShiftedSamples() {
        Rng rng = new Rng(4);
        double[][] a = gauss(rng, 800, 0), b = gauss(rng, 800, 0), c = gauss(rng, 800, 1);
        double same = new Mmd().compute(a, b, rng), diff = new Mmd().compute(a, c, rng);
        assertTrue(Math.abs(same) < 0.01 && diff > 0.1, same + " " + diff);
        // SW₂ between N(0,I) and N(μ,I) in 2-D: E_θ[(θᵀμ)²] = |μ|²/2, so SW₂ = |μ|/√2 ≈ 0.71 (MC error a few %)
        assertEquals(1 / Math.sqrt(2), new SlicedWasserstein().compute(a, c, rng), 0.1);
        // KL(N(0,I) ‖ N(μ,I)) = |μ|²/2 = 0.5
        assertEquals(0.5, new KnnKl().compute(a, c, rng), 0.2);
        assertEquals(0.0, new KnnKl().compute(a, b, rng), 0.2);
    }

    @Test void frechetOfGaussianFeatures() {
        double[][] s = {{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 2}};
        double[][] r = Frechet.sqrtm(s);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            double v = 0;
            for (int k = 0; k < 3; k++) v += r[i][k] * r[k][j];
            assertEquals(s[i][j], v, 1e-9);
        }
        Rng rng = new Rng(5);
        assertEquals(1.0, Frechet.distance(gauss(rng, 20000, 0), gauss(rng, 20000, 1)), 0.05);   // ‖Δμ‖² = 1, equal covariances
    }
}
