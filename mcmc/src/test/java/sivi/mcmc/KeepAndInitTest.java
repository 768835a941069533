package sivi.mcmc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

/** Thinning and kept warm-up select iterations of the same chain (CmdStan's thin and save_warmup); bad initial points are redrawn as Stan does. */
class KeepAndInitTest {
    static final LogDensityGradient T = Gaussians.ar1(Gaussians.logSpacedScales(4, 0.5, 2), 0.5);

    @Test void thinningKeepsEveryThinthDrawOfTheSameChain() {
        Nuts nuts = new Nuts(100, 50, 2, 1, 10, 0.8);
        McmcResult all = nuts.sample(T, new Rng(5)), thin = nuts.sample(T, new Rng(5), new Keep(3, false));
        assertEquals(17, thin.drawsPerChain());   // ⌈50 / 3⌉, as CmdStan
        for (int c = 0; c < 2; c++)
            for (int n = 0; n < 17; n++) {
                assertArrayEquals(all.draws()[c][3 * n], thin.draws()[c][n]);
                assertEquals(all.logDensity()[c][3 * n], thin.logDensity()[c][n]);
                assertEquals(all.treeDepth()[c][3 * n], thin.treeDepth()[c][n]);
            }
        assertNull(thin.warmup());
    }

    @Test void keptWarmupPrecedesTheSameDrawsWithTheStepSizeEachTransitionUsed() {
        Hmc hmc = new Hmc(60, 40, 2, 2, Hmc.defaults().integrationTime(), 0.8);
        McmcResult plain = hmc.sample(T, new Rng(9)), withWarmup = hmc.sample(T, new Rng(9), new Keep(2, true));
        assertEquals(30, withWarmup.warmup().perChain());
        assertEquals(20, withWarmup.drawsPerChain());
        for (int c = 0; c < 2; c++) {
            for (int n = 0; n < 20; n++) assertArrayEquals(plain.draws()[c][2 * n], withWarmup.draws()[c][n]);
            double[] eps = withWarmup.warmup().stepSize()[c];
            assertTrue(java.util.Arrays.stream(eps).distinct().count() > 1, "the step size adapts during warm-up");
            double[] g = new double[4];
            for (int n = 0; n < 30; n++) assertEquals(T.evaluate(withWarmup.warmup().draws()[c][n], g), withWarmup.warmup().logDensity()[c][n], 0.0);
        }
    }

    /** A standard normal restricted to x1 > 1.5: a uniform draw in [-2, 2]^2 lands in the support with probability 1/8. */
    static final LogDensityGradient HALF = new LogDensityGradient() {
        public int dim() { return 2; }
        public double evaluate(double[] x, double[] g) {
            if (x[0] <= 1.5) { g[0] = g[1] = Double.NaN; return Double.NEGATIVE_INFINITY; }
            g[0] = -x[0]; g[1] = -x[1];
            return -0.5 * (x[0] * x[0] + x[1] * x[1]);
        }
    };

    @Test void initialPointsOutsideTheSupportAreRedrawn() {
        double[][] x = ChainRunner.uniformInits(HALF, 8, new Rng(4));
        for (double[] row : x) assertTrue(row[0] > 1.5 && row[0] <= 2 && Math.abs(row[1]) <= 2, java.util.Arrays.toString(row));
        McmcResult r = new Nuts(50, 20, 2, 1, 10, 0.8).sample(HALF, new Rng(4));
        for (double[][] chain : r.draws()) for (double[] d : chain) assertTrue(d[0] > 1.5);
    }

    @Test void aNonFiniteGradientAlsoRejectsAnInitialPoint() {
        LogDensityGradient badGradient = new LogDensityGradient() {
            public int dim() { return 1; }
            public double evaluate(double[] x, double[] g) { g[0] = x[0] < 1 ? Double.NaN : -x[0]; return -0.5 * x[0] * x[0]; }
        };
        for (double[] row : ChainRunner.uniformInits(badGradient, 5, new Rng(2))) assertTrue(row[0] >= 1);
    }

    @Test void givesUpAfterOneHundredDrawsWithOneLine() {
        LogDensityGradient nowhere = new LogDensityGradient() {
            public int dim() { return 3; }
            public double evaluate(double[] x, double[] g) { return x[0] > 5 ? 0 : Double.NEGATIVE_INFINITY; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Nuts(10, 10, 1, 1, 10, 0.8).sample(nowhere, new Rng(1)));
        assertEquals("no initial point with a finite log density and gradient in 100 draws uniform in [-2, 2]^3 (chain 1): give an initial point inside the support", e.getMessage());
    }

    @Test void aGivenInitialPointOutsideTheSupportIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Nuts(10, 10, 1, 1, 10, 0.8).sample(HALF, new double[][] {{0, 0}}, new Rng(1)));
        assertTrue(e.getMessage().startsWith("log density or its gradient is not finite at the initial point"), e.getMessage());
    }
}
