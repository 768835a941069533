package sivi.methods;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.fit.DensitySession;
import sivi.fit.Fit;
import sivi.fit.FitConfig;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Registry;
import sivi.fit.Trainer;
import sivi.kernels.Rng;
import sivi.targets.Gaussian;
import sivi.tensor.DType;

import static org.junit.jupiter.api.Assertions.*;

/**
 * BBVI (Ranganath et al. 2014; docs/algorithms.md#bbvi) on the correlated 2-D Gaussian of {@link Recovery}, where
 * the ELBO of q = N(μ, diag e^{2ω}) and its gradient are closed form: ∇_μ = −Λ(μ − m), ∇_ω_i = 1 − Λ_ii σ_i²
 * (Λ = Σ⁻¹), and the mean-field optimum is μ = m, σ_i = 1/√Λ_ii.
 */
class BbviTest {
    static final Gaussian TARGET = Recovery.TARGET;
    static final double[] M = TARGET.mean();
    /** Λ = Σ⁻¹ of [[1, 0.5], [0.5, 0.8]] (det 0.55). */
    static final double[][] LAMBDA = {{0.8 / 0.55, -0.5 / 0.55}, {-0.5 / 0.55, 1.0 / 0.55}};

    static double[] exactGradient(double[] mu, double[] omega) {
        double[] g = new double[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) g[i] -= LAMBDA[i][j] * (mu[j] - M[j]);
            g[2 + i] = 1 - LAMBDA[i][i] * Math.exp(2 * omega[i]);
        }
        return g;
    }

    /**
     * Every estimator's mean over R independent estimates equals the exact gradient within 4.5 standard errors
     * of that mean (per entry, two-sided false alarm 7e-6 for a Gaussian mean). The control-variate estimators
     * estimate a_i from the same draws, a bias of order 1/S (Ranganath et al. §3.2): at S = 1000, R = 100 it is
     * ≈ √(R/S) ≈ 0.3 standard errors of the mean times a constant of order 1, inside the bound.
     */
    @ParameterizedTest @EnumSource(Bbvi.Estimator.class)
    void everyEstimatorIsUnbiasedOnAGaussian(Bbvi.Estimator e) {
        double[] mu = {0.3, 0.2}, omega = {0.2, -0.3}, want = exactGradient(mu, omega);
        boolean cv = e == Bbvi.Estimator.SCORE_CV || e == Bbvi.Estimator.RAO_BLACKWELL_CV;
        int s = cv ? 1000 : 50, r = cv ? 100 : 400;
        double[] sum = new double[4], sum2 = new double[4];
        Rng rng = new Rng(11);
        for (int k = 0; k < r; k++) {
            Bbvi.Gradient g = Bbvi.gradient(e, TARGET, mu, omega, s, rng, DType.F64);
            double[] v = {g.mu()[0], g.mu()[1], g.logSigma()[0], g.logSigma()[1]};
            for (int i = 0; i < 4; i++) { sum[i] += v[i]; sum2[i] += v[i] * v[i]; }
        }
        for (int i = 0; i < 4; i++) {
            double mean = sum[i] / r, se = Math.sqrt((sum2[i] / r - mean * mean) / (r - 1));
            assertEquals(want[i], mean, 4.5 * se, e + " entry " + i + " (se " + se + ")");
        }
    }

    /**
     * Trained by the Trainer (default estimator: score function + control variate) from 6 seeds, the final
     * μ and σ agree with the mean-field optimum: |mean over seeds − optimum| ≤ 6.9·sd/√6 per entry (Student t with
     * 5 degrees of freedom, two-sided 0.1 %). The bound is also required to be less than half the distance between
     * the mean-field σ and the marginal sd √Σ_ii, so a fit that matched the marginals instead would fail.
     */
    @Test void recoversTheMeanFieldOptimum() {
        int seeds = 6;
        double[][] got = new double[seeds][];
        for (int s = 0; s < seeds; s++) {
            FitConfig cfg = FitConfig.defaults(3000).withSeed(s + 1).withDType(DType.F64).withDraws(10);
            Fit fit = Trainer.fit(Registry.method("bbvi"), TARGET, Options.of("lr", "0.02", "lr_gamma", "0.3", "lr_step", "1000"), cfg, Progress.SILENT);
            double[] mu = fit.params().get("q.mu").toDoubleArray(), ls = fit.params().get("q.log_sigma").toDoubleArray();
            got[s] = new double[] {mu[0], mu[1], Math.exp(ls[0]), Math.exp(ls[1])};
        }
        double[] optimum = {M[0], M[1], 1 / Math.sqrt(LAMBDA[0][0]), 1 / Math.sqrt(LAMBDA[1][1])};
        double[] marginal = {M[0], M[1], 1.0, Math.sqrt(0.8)};
        for (int i = 0; i < 4; i++) {
            double mean = 0, sq = 0;
            for (double[] g : got) mean += g[i] / seeds;
            for (double[] g : got) sq += (g[i] - mean) * (g[i] - mean);
            double tol = 6.9 * Math.sqrt(sq / (seeds - 1)) / Math.sqrt(seeds);
            assertEquals(optimum[i], mean, tol, "entry " + i);
            if (i >= 2) assertTrue(tol < Math.abs(marginal[i] - optimum[i]) / 2, "tolerance " + tol + " too loose to tell the optimum from the marginal sd");
        }
    }

    /** Draws and log q from the session's density agree with the mean-field Gaussian's closed form. */
    @Test void exposesItsLogDensity() {
        var s = (DensitySession) Registry.method("bbvi").init(TARGET, Registry.descriptor("bbvi").validate(Options.of("log_sigma_init", "-0.5")), DType.F64, new Rng(1));
        DensitySession.Draws d = s.sampleWithLogDensity(new Rng(2), 5);
        double[] x = d.x().toDoubleArray(), lq = d.logQ().toDoubleArray();
        for (int i = 0; i < 5; i++) {
            double want = 0;
            for (int j = 0; j < 2; j++) want += -0.5 * x[2 * i + j] * x[2 * i + j] / Math.exp(-1) + 0.5 - 0.5 * Math.log(2 * Math.PI);
            assertEquals(want, lq[i], 1e-12);
        }
    }
}
