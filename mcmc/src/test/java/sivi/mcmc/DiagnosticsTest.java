package sivi.mcmc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

class DiagnosticsTest {
    static double[][] iid(int chains, int n, Rng rng) {
        double[][] x = new double[chains][n];
        for (double[] c : x) for (int t = 0; t < n; t++) c[t] = rng.nextGaussian();
        return x;
    }

    @Test
    void rhatOfIndependentChainsIsNearOne() {
        // For M = 8 split chains of N = 500 iid draws, R-hat^2 - 1 is about (chi2_{M-1}/(M-1) - 1)/N,
        // whose sd is sqrt(2/7)/500 ~ 1e-3; 1.01 is ~ 20 of those sds.
        double[][] x = iid(4, 1000, new Rng(1));
        assertTrue(Math.abs(Diagnostics.rhat(x) - 1) < 0.01);
        assertTrue(Math.abs(Diagnostics.splitRhat(x) - 1) < 0.01);
    }

    @Test
    void rhatFlagsChainsStuckInDifferentModes() {
        // Mixture of N(-4, 0.5^2) and N(4, 0.5^2): 16 sds apart, NUTS never crosses.
        LogDensityGradient bimodal = new LogDensityGradient() {
            public int dim() { return 1; }
            public double evaluate(double[] x, double[] g) {
                double a = -2 * (x[0] + 4) * (x[0] + 4), b = -2 * (x[0] - 4) * (x[0] - 4), m = Math.max(a, b);
                double wa = Math.exp(a - m), wb = Math.exp(b - m);
                g[0] = (wa * -4 * (x[0] + 4) + wb * -4 * (x[0] - 4)) / (wa + wb);
                return m + Math.log(wa + wb);
            }
        };
        McmcResult r = Nuts.defaults().withWarmup(200).withDraws(300)
                .sample(bimodal, new double[][] {{-4}, {-4}, {4}, {4}}, new Rng(9));
        assertTrue(Diagnostics.rhat(r.coordinate(0)) > 1.1);
        assertTrue(Diagnostics.splitRhat(r.coordinate(0)) > 1.1);
    }

    @Test
    void essOfIidDrawsIsAboutTheirNumber() {
        // Sokal's approximation var(tau_hat) ~ 2(2K+1)/n tau^2 with a window K of a few lags gives a
        // relative sd of ESS below 0.03 at n = 20000; +-15% is more than 5 sds.
        double[][] x = iid(4, 5000, new Rng(2));
        assertEquals(1.0, Diagnostics.essBulk(x) / 20000, 0.15);
        assertEquals(1.0, Diagnostics.essMean(x) / 20000, 0.15);
    }

    @Test
    void essOfAr1ChainMatchesTheory() {
        // x_t = phi x_{t-1} + sqrt(1 - phi^2) e_t has tau = (1 + phi)/(1 - phi) = 3 at phi = 0.5.
        // Window K ~ 10 lags: relative sd of tau_hat ~ sqrt(2 * 21 / 20000) = 0.046; +-20% is > 4 sds.
        Rng rng = new Rng(3);
        double phi = 0.5;
        double[][] x = new double[4][5000];
        for (double[] c : x) {
            c[0] = rng.nextGaussian();
            for (int t = 1; t < c.length; t++) c[t] = phi * c[t - 1] + Math.sqrt(1 - phi * phi) * rng.nextGaussian();
        }
        assertEquals(1.0, Diagnostics.essMean(x) / (20000 / 3.0), 0.2);
        assertEquals(1.0, Diagnostics.essBulk(x) / (20000 / 3.0), 0.2);
    }

    @Test
    void warmupScheduleMatchesStanFor1000Iterations() {
        WarmupSchedule s = WarmupSchedule.of(1000);
        assertArrayEquals(new int[] {75, 100, 150, 250, 450}, s.windowStarts());
        assertArrayEquals(new int[] {100, 150, 250, 450, 950}, s.windowEnds());
        WarmupSchedule exact = WarmupSchedule.of(150); // 75 + 25 + 50 fit: one window, stretched to 100
        assertArrayEquals(new int[] {75}, exact.windowStarts());
        assertArrayEquals(new int[] {100}, exact.windowEnds());
        WarmupSchedule small = WarmupSchedule.of(120); // defaults do not fit: 15% / 75% / 10%
        assertArrayEquals(new int[] {18}, small.windowStarts());
        assertArrayEquals(new int[] {108}, small.windowEnds());
        assertEquals(0, WarmupSchedule.of(19).windowEnds().length);
    }

    @Test
    void dualAveragingFindsStepSizeWithTargetAcceptance() {
        // Deterministic acceptance a(eps) = exp(-eps): the fixed point a = 0.8 is eps* = -log 0.8.
        // The averaged iterate converges at rate O(t^-(1-kappa)) in the weights; after 5000 updates
        // the bias is a few per cent, so we allow 5%.
        DualAveraging da = new DualAveraging(0.8);
        double eps = 1;
        da.restart(eps);
        for (int t = 0; t < 5000; t++) eps = da.update(Math.exp(-eps));
        assertEquals(-Math.log(0.8), da.finalStepSize(), 0.05 * -Math.log(0.8));
    }
}
