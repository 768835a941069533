package sivi.mcmc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.Rng;

/**
 * Recovery tests against exact moments. Every tolerance is a multiple of the Monte Carlo standard
 * error sd / sqrt(ESS), ESS from {@link Diagnostics#essMean}. We use 4.5 standard errors: with the
 * 20 + 210 checks of the largest test, a two-sided normal tail of 6.8e-6 per check gives a
 * family-wise false-alarm rate below 2e-3 for a correct sampler (seeds are fixed, so a pass is
 * reproducible; the rate says how unlucky a seed would have to be).
 */
class NutsTest {
    static final double Z = 4.5;

    /** |mean(y) - expected| &lt; Z * sd(y) / sqrt(ESS(y)) for the scalar series y[chain][draw]. */
    static void assertMeanWithinMcError(double[][] y, double expected, String what) {
        double sum = 0, sq = 0; int n = 0;
        for (double[] c : y) for (double v : c) { sum += v; sq += v * v; n++; }
        double mean = sum / n, sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
        double ess = Diagnostics.essMean(y);
        double tol = Z * sd / Math.sqrt(ess);
        assertTrue(Math.abs(mean - expected) < tol,
                what + ": mean " + mean + " expected " + expected + " tol " + tol + " (ESS " + ess + ")");
    }

    @Test
    void recoversMeanAndCovarianceOfCorrelated20dGaussian() {
        int d = 20; double phi = 0.9;
        double[] s = Gaussians.logSpacedScales(d, 0.1, 10);
        McmcResult r = Nuts.defaults().withThreads(2).sample(Gaussians.ar1(s, phi), new Rng(11));
        assertEquals(0, r.divergences());
        for (double rh : Diagnostics.rhat(r)) assertTrue(rh < 1.01, "R-hat " + rh);
        for (int i = 0; i < d; i++) assertMeanWithinMcError(r.coordinate(i), 0, "mean " + i);
        // Covariance: y = x_i x_j / (s_i s_j) has expectation phi^|i-j|.
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) {
                double[][] y = new double[r.chains()][r.drawsPerChain()];
                for (int c = 0; c < r.chains(); c++)
                    for (int n = 0; n < r.drawsPerChain(); n++) y[c][n] = r.draws()[c][n][i] * r.draws()[c][n][j] / (s[i] * s[j]);
                assertMeanWithinMcError(y, Math.pow(phi, Math.abs(i - j)), "cov " + i + "," + j);
            }
    }

    /**
     * The banana of the 2-D toys (docs/targets.md#banana): y = (x1, x1^2 + x2 + 1) ~ N(0, [[1, .9], [.9, 1]]).
     * Exact moments: x1 = y1 ~ N(0, 1); x2 = y2 - y1^2 - 1 has mean -2 and variance 1 + 2 = 3
     * (cov(y2, y1^2) = 0 by symmetry); cov(x1, x2) = E[y1 y2] - E[y1^3] = 0.9.
     */
    static LogDensityGradient banana() {
        return new LogDensityGradient() {
            public int dim() { return 2; }
            public double evaluate(double[] x, double[] g) {
                double y1 = x[0], y2 = x[0] * x[0] + x[1] + 1;
                double v1 = (y1 - 0.9 * y2) / 0.19, v2 = (y2 - 0.9 * y1) / 0.19;
                g[0] = -(v1 + 2 * x[0] * v2);
                g[1] = -v2;
                return -0.5 * (y1 * v1 + y2 * v2);
            }
        };
    }

    /**
     * At Stan's default target acceptance 0.8 NUTS is biased on the banana (the narrow curved ridge in the x1
     * tails defeats a step size adapted to the bulk): over seeds 1–30, var x2 averaged ≈ 2.0 instead of 3 and 11
     * runs missed it by more than the tolerance of {@link #assertMeanWithinMcError} — but every run reported
     * divergent transitions (5–131), the signal to raise the target acceptance, as Stan advises.
     */
    @Test
    void bananaAtDefaultAcceptanceReportsDivergences() {
        assertTrue(Nuts.defaults().withThreads(2).sample(banana(), new Rng(13)).divergences() > 0);
    }

    /**
     * At target acceptance 0.99 (seeds 1–30): no divergences, var x2 averaged 3.1, and 1 of 30 runs missed
     * (1.94: (x2 + 2)² is heavy-tailed, so its ESS-based standard error is optimistic). The seed is the one
     * this test always had; until session 5 it ran at 0.8 and passed by luck (a new Gaussian transform
     * changed the draws and exposed it).
     */
    @Test
    void recoversExactMomentsOfBanana() {
        McmcResult r = Nuts.defaults().withThreads(2).withTargetAccept(0.99).sample(banana(), new Rng(13));
        assertEquals(0, r.divergences());
        int c = r.chains(), n = r.drawsPerChain();
        double[][] x1 = r.coordinate(0), x2 = r.coordinate(1);
        double[][] sq1 = new double[c][n], sq2 = new double[c][n], cross = new double[c][n];
        for (int k = 0; k < c; k++)
            for (int t = 0; t < n; t++) {
                double a = x1[k][t], b = x2[k][t] + 2;
                sq1[k][t] = a * a; sq2[k][t] = b * b; cross[k][t] = a * b;
            }
        assertMeanWithinMcError(x1, 0, "E x1");
        assertMeanWithinMcError(x2, -2, "E x2");
        assertMeanWithinMcError(sq1, 1, "var x1");
        assertMeanWithinMcError(sq2, 3, "var x2");
        assertMeanWithinMcError(cross, 0.9, "cov x1 x2");
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        LogDensityGradient t = Gaussians.ar1(Gaussians.logSpacedScales(5, 0.5, 2), 0.5);
        Nuts nuts = Nuts.defaults().withWarmup(150).withDraws(50).withChains(3);
        McmcResult one = nuts.withThreads(1).sample(t, new Rng(3));
        McmcResult two = nuts.withThreads(2).sample(t, new Rng(3));
        assertArrayEquals(one.stepSize(), two.stepSize());
        for (int c = 0; c < 3; c++)
            for (int n = 0; n < 50; n++) assertArrayEquals(one.draws()[c][n], two.draws()[c][n]);
    }

    /**
     * Neal's funnel in its non-centred form: sampling (v0, x0) ~ N(0, I_10) and mapping v = 3 v0,
     * x = exp(v/2) x0 gives the funnel exactly, so the marginal of v must have mean 0 and sd 3.
     */
    @Test
    void nonCentredFunnelHasExactMarginalOfV() {
        McmcResult r = Nuts.defaults().sample(Gaussians.standard(10), new Rng(5));
        double[][] v = r.coordinate(0), v2 = new double[r.chains()][r.drawsPerChain()];
        for (int c = 0; c < v.length; c++)
            for (int n = 0; n < v[c].length; n++) { v[c][n] *= 3; v2[c][n] = v[c][n] * v[c][n]; }
        assertMeanWithinMcError(v, 0, "E v");
        assertMeanWithinMcError(v2, 9, "E v^2");
        assertEquals(0, r.divergences());
    }

    /**
     * The centred funnel (d = 10: v ~ N(0, 9), x_i | v ~ N(0, e^v)) has a neck whose curvature no
     * single step size fits; NUTS is known to under-sample it and to report divergences there
     * (Betancourt &amp; Girolami 2015). We check only that the run completes and reports them, and that
     * the draws of v stay finite; we do not test its marginal, which is biased upward.
     */
    @Test
    void centredFunnelRunsAndReportsDivergences() {
        LogDensityGradient funnel = new LogDensityGradient() {
            public int dim() { return 10; }
            public double evaluate(double[] q, double[] g) {
                double v = q[0], ev = Math.exp(-v), lp = -v * v / 18, gv = -v / 9;
                for (int i = 1; i < 10; i++) {
                    lp += -0.5 * q[i] * q[i] * ev - 0.5 * v;
                    gv += 0.5 * q[i] * q[i] * ev - 0.5;
                    g[i] = -q[i] * ev;
                }
                g[0] = gv;
                return lp;
            }
        };
        McmcResult r = Nuts.defaults().withThreads(2).sample(funnel, new Rng(7));
        assertTrue(r.divergences() > 0, "expected divergences in the centred funnel");
        for (double[][] chain : r.draws()) for (double[] x : chain) assertTrue(Double.isFinite(x[0]));
    }

    @Test
    void treeDepthIsCappedAtMaximum() {
        // A 1e4 scale ratio with no metric adaptation needs ~1e4 leapfrogs per U-turn, far above 2^3.
        McmcResult r = Nuts.defaults().withWarmup(0).withDraws(20).withChains(1).withMaxTreeDepth(3)
                .sample(Gaussians.ar1(new double[] {1e-2, 1e2}, 0), new double[][] {{0.01, 1}}, new Rng(1));
        for (int n = 0; n < 20; n++) {
            assertTrue(r.treeDepth()[0][n] <= 3);
            assertTrue(r.leapfrogs()[0][n] <= 7 + 8);
        }
    }
}
