package sivi.mcmc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

class HmcTest {
    @Test
    void staticHmcRecoversTwoDimensionalGaussian() {
        double[] s = {1, 3}; double phi = 0.6;
        McmcResult r = Hmc.defaults().sample(Gaussians.ar1(s, phi), new Rng(2));
        assertEquals(0, r.divergences());
        for (int i = 0; i < 2; i++) NutsTest.assertMeanWithinMcError(r.coordinate(i), 0, "mean " + i);
        for (int i = 0; i < 2; i++)
            for (int j = i; j < 2; j++) {
                double[][] y = new double[r.chains()][r.drawsPerChain()];
                for (int c = 0; c < r.chains(); c++)
                    for (int n = 0; n < r.drawsPerChain(); n++) y[c][n] = r.draws()[c][n][i] * r.draws()[c][n][j] / (s[i] * s[j]);
                NutsTest.assertMeanWithinMcError(y, i == j ? 1 : phi, "cov " + i + "," + j);
            }
        // No check of the post-warm-up acceptance: the averaged step size exp(mean log eps) sits below
        // the noisy adapted iterates (Jensen), and the floor(T / eps) step count makes acceptance
        // non-monotone in eps, so it is not pinned to delta = 0.8 (DualAveraging is tested alone).
        for (double e : r.stepSize()) assertTrue(e > 0.05 && e < 3, "step size " + e);
    }
}
