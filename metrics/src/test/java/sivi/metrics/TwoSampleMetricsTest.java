package sivi.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

/**
 * MMD, energy distance and sliced Wasserstein against closed forms. Tolerances are multiples of the
 * estimators' own standard errors (3 SE for "is zero" checks, whose SE is conservative under P = Q;
 * 4 SE for value checks: a two-sided normal tail of 6e-5 per check).
 */
class TwoSampleMetricsTest {
    @Test
    void mmdOfIdenticalDistributionsIsZeroWithinThreeStandardErrors() {
        Rng rng = new Rng(1);
        Mmd m = Mmd.rbf(Draw.gaussian(500, Draw.fill(2, 0), 1, rng), Draw.gaussian(500, Draw.fill(2, 0), 1, rng));
        assertTrue(Math.abs(m.mmd2()) < 3 * m.standardError(), m.toString());
        assertTrue(m.bandwidth() > 0);
    }

    /**
     * Closed form for N(mu1, s^2 I) vs N(mu2, s^2 I) with k = exp(-|r|^2 / (2 l^2)):
     * E k(X, X') = (l^2 / (l^2 + 2 s^2))^(d/2), E k(X, Y) = that times exp(-|mu1 - mu2|^2 / (2 (l^2 + 2 s^2))),
     * so MMD^2 = 2 (l^2/(l^2 + 2 s^2))^(d/2) (1 - exp(-|delta|^2 / (2 (l^2 + 2 s^2)))).
     */
    @Test
    void mmdOfShiftedGaussiansMatchesClosedFormWithUnequalSizes() {
        Rng rng = new Rng(2);
        int d = 2; double l = 1.5, shift = 0.5;
        Mmd m = Mmd.rbf(Draw.gaussian(600, Draw.fill(d, 0), 1, rng), Draw.gaussian(900, Draw.fill(d, shift), 1, rng), l);
        double c = l * l + 2, delta2 = d * shift * shift;
        double exact = 2 * Math.pow(l * l / c, d / 2.0) * (1 - Math.exp(-delta2 / (2 * c)));
        assertEquals(exact, m.mmd2(), 4 * m.standardError());
        assertTrue(m.mmd2() > 5 * m.standardError(), "shift should be clearly detected: " + m);
    }

    @Test
    void energyDistanceMatchesClosedFormIn1d() {
        // X ~ N(0,1), Y ~ N(mu,1): X - Y ~ N(-mu, 2), E|N(m, s^2)| = s sqrt(2/pi) exp(-m^2/(2 s^2)) + m (1 - 2 Phi(-m/s)),
        // E|X - X'| = E|Y - Y'| = 2 / sqrt(pi).
        Rng rng = new Rng(3);
        double mu = 1, s = Math.sqrt(2);
        double eAbs = s * Math.sqrt(2 / Math.PI) * Math.exp(-mu * mu / (2 * s * s)) + mu * (1 - 2 * Special.normalCdf(-mu / s));
        double exact = 2 * eAbs - 4 / Math.sqrt(Math.PI);
        EnergyDistance e = EnergyDistance.of(Draw.gaussian(800, new double[] {0}, 1, rng), Draw.gaussian(800, new double[] {mu}, 1, rng));
        assertEquals(exact, e.value(), 4 * e.standardError());
        EnergyDistance same = EnergyDistance.of(Draw.gaussian(800, new double[] {0}, 1, rng), Draw.gaussian(700, new double[] {0}, 1, rng));
        assertTrue(Math.abs(same.value()) < 3 * same.standardError(), same.toString());
    }

    @Test
    void w2BetweenEmpiricalDistributionsOfUnequalSizeIsExact() {
        // Quantile functions: a = {0,1} steps at 1/2; b = {0,1,2} steps at 1/3, 2/3. Squared gaps
        // 0 on [0,1/3), 1 on [1/3,1/2), 0 on [1/2,2/3), 1 on [2/3,1): total 1/6 + 1/3.
        assertEquals(0.5, SlicedWasserstein.w2Squared(new double[] {1, 0}, new double[] {2, 0, 1}), 1e-15);
        assertEquals(1.0, SlicedWasserstein.w2Squared(new double[] {0, 1}, new double[] {1, 2}), 1e-15);
    }

    /**
     * In 1-D every projection is +-1, so SW_2 = W_2, and W_2^2(N(m1, s1^2), N(m2, s2^2)) = (m1 - m2)^2 + (s1 - s2)^2.
     * Delta-method SE of the plug-in W_2^2 at n = 4000, m = 3000 (x ~ N(1,1), y ~ N(0,4)):
     * 2 sqrt((dm)^2 (1/n + 4/m) + (ds)^2 (1/(2n) + 4/(2m))) = 0.098; we allow 4 SE plus 0.02 for the
     * O(log log n / n) bias of empirical W_2^2.
     */
    @Test
    void slicedWassersteinIn1dMatchesGaussianClosedForm() {
        Rng rng = new Rng(4);
        double sw = SlicedWasserstein.distance(Draw.gaussian(4000, new double[] {1}, 1, rng), Draw.gaussian(3000, new double[] {0}, 2, rng), 3, rng);
        assertEquals(2.0, sw * sw, 4 * 0.098 + 0.02);
    }

    /**
     * N(0, I_4) vs N(mu, I_4), |mu|^2 = 4: SW_2^2 = E (theta.mu)^2 = |mu|^2 / d = 1. With L = 500
     * directions, (theta.mu)^2 / |mu|^2 ~ Beta(1/2, 3/2) has sd 1/4, giving SE 4 * 0.25 / sqrt(500) =
     * 0.045; the sample means add 2 |mu| sqrt(2/n) / d = 0.032 at n = 2000. Combined SE 0.055; 4 SE
     * plus 0.02 bias allowance.
     */
    @Test
    void slicedWassersteinOfShiftedIsotropicGaussians() {
        Rng rng = new Rng(5);
        double sw = SlicedWasserstein.distance(Draw.gaussian(2000, Draw.fill(4, 0), 1, rng), Draw.gaussian(2000, Draw.fill(4, 1), 1, rng), 500, rng);
        assertEquals(1.0, sw * sw, 4 * 0.055 + 0.02);
    }
}
