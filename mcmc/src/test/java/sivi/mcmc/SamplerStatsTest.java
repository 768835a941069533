package sivi.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

/** The per-draw sampler statistics that CmdStan writes (lp__, energy__) are what they claim to be. */
class SamplerStatsTest {
    /** lp__ is the target's log density at the draw, exactly. */
    @Test void logDensityIsTheTargetsValueAtEachDraw() {
        LogDensityGradient t = Gaussians.ar1(Gaussians.logSpacedScales(5, 0.5, 3), 0.5);
        McmcResult r = new Nuts(200, 200, 2, 1, 10, 0.8).sample(t, new Rng(3));
        double[] g = new double[5];
        for (int c = 0; c < 2; c++)
            for (int n = 0; n < 200; n++) assertEquals(t.evaluate(r.draws()[c][n], g), r.logDensity()[c][n], 0.0);
    }

    /**
     * energy = −lp + K with K = p'M⁻¹p/2 the kinetic energy of the returned state. For a standard
     * normal target in d dimensions the returned (q, p) is a draw from the joint canonical density
     * exp(−H), so K ~ χ²_d / 2: mean d/2 = 5 and sd √(d/2) = 2.24 for d = 10. 4 chains × 1000 draws
     * with an effective size of at least 1000 give a standard error ≤ 0.071; 5 SE is 0.35. Also every
     * kinetic energy is ≥ 0, and HMC (static) returns the same.
     */
    @Test void energyMinusPotentialIsAChiSquareHalfKineticEnergy() {
        LogDensityGradient t = Gaussians.standard(10);
        for (McmcResult r : new McmcResult[] {new Nuts(500, 1000, 4, 1, 10, 0.8).sample(t, new Rng(11)),
                new Hmc(500, 1000, 4, 1, Hmc.defaults().integrationTime(), 0.8).sample(t, new Rng(11))}) {
            double sum = 0;
            int n = 0;
            for (int c = 0; c < 4; c++)
                for (int k = 0; k < 1000; k++) {
                    double kinetic = r.energy()[c][k] + r.logDensity()[c][k];
                    assertTrue(kinetic >= 0, "kinetic energy " + kinetic);
                    sum += kinetic; n++;
                }
            assertEquals(5.0, sum / n, 0.35);
        }
    }

    /** E-BFMI by hand: energies 1, 3, 2 → Σ diff² = 4 + 1 = 5, Σ (E − 2)² = 2, so 2.5; for iid energies it is near 2. */
    @Test void ebfmiFollowsItsDefinition() {
        assertEquals(2.5, Diagnostics.ebfmi(new double[] {1, 3, 2}), 1e-15);
        assertTrue(Double.isNaN(Diagnostics.ebfmi(new double[] {4, 4})));
        Rng rng = new Rng(2);
        double[] iid = new double[20000];
        for (int i = 0; i < iid.length; i++) iid[i] = rng.nextGaussian();
        // E[(e_n − e_{n−1})²] = 2 σ², E[(e − ē)²] ≈ σ²: ratio 2, with relative sd ≈ √(2·3/n) ≈ 0.017 (4 SE: 0.07)
        assertEquals(2.0, Diagnostics.ebfmi(iid), 0.07 * 2);
    }
}
