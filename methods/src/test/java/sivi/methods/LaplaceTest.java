package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.kernels.Rng;
import sivi.targets.Gaussian;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Laplace: exact on Gaussian targets (mean, covariance, log Z), and its errors. */
class LaplaceTest {
    static double[] covarianceOf(Fit f, int d) {
        double[] l = new double[d * d], c = f.params().get("q.chol").toDoubleArray();
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) l[i * d + j] = i == j ? Math.exp(c[i * d + i]) : c[i * d + j];
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) s[i * d + j] += l[i * d + k] * l[j * d + k];
        return s;
    }

    /**
     * On N(m, Σ) the mode is m, the Hessian is Σ⁻¹ everywhere and the Laplace formula is the normaliser, so only
     * the solver's stopping rule ‖∇‖_∞ ≤ 1e-8 is left: |x̂ − m| ≤ ‖Σ‖₂ √d · 1e-8 (‖Σ‖₂ ≤ ‖Σ‖_F), and log Z = log p(x̂) − log p(m)
     * + 0 = −½ δᵀΣ⁻¹δ ≥ −½ ‖Σ‖₂ d · 1e-16. The covariance comes from an exact Hessian: rounding only.
     */
    @Test void exactOnACorrelatedGaussian() {
        int d = 6;
        Gaussian g = Gaussian.correlated(d, 0.8);
        Fit f = Sivi.method("laplace").set("inits", 3).iterations(3).dtype(DType.F64).draws(10).seed(2).fit(g);
        double[] cov = g.covariance(), mean = g.mean();
        double frob = 0;
        for (double v : cov) frob += v * v;
        frob = Math.sqrt(frob);
        assertArrayEquals(mean, f.params().get("q.mu").toDoubleArray(), frob * Math.sqrt(d) * 1e-8);
        assertArrayEquals(cov, covarianceOf(f, d), 1e-10 * frob);
        double logZ = (double) f.session().report().get("log_z");
        assertEquals(0, logZ, 0.5 * frob * d * 1e-16 + 1e-12);
        assertTrue((long) f.session().report().get("gradient_evals") > 0);
    }

    /** An unnormalised 2-d target with the given log density. */
    static Target unnormalised(String name, java.util.function.UnaryOperator<sivi.autodiff.Var> logDensity) {
        return new Target() {
            @Override public String name() { return name; }
            @Override public int dim() { return 2; }
            @Override public boolean isNormalised() { return false; }
            @Override public sivi.autodiff.Var logDensity(sivi.autodiff.Var x) { return logDensity.apply(x); }
        };
    }

    @Test void logZOfAnUnnormalisedGaussianIsItsNormaliser() {
        // p(x) = exp(−½ xᵀx/4) on R²: Z = 2π · 4, Laplace exact
        Target t = unnormalised("iso", x -> sivi.autodiff.Ops.scale(sivi.autodiff.Ops.sum(sivi.autodiff.Ops.square(x), 1, false), -0.125));
        Fit f = Sivi.method("laplace").set("inits", 1).iterations(1).dtype(DType.F64).draws(10).fit(t);
        assertEquals(Math.log(8 * Math.PI), (double) f.session().report().get("log_z"), 1e-12);
    }

    @Test void logDensityOfQIsTheFittedGaussiansDensity() {
        Gaussian g = Gaussian.correlated(3, 0.5);
        Fit f = Sivi.method("laplace").set("inits", 1).iterations(1).dtype(DType.F64).draws(10).fit(g);
        Tensor x = Rng.of(5, 0).normal(DType.F64, 7, 3);
        double[] lq = f.session().logDensity(x).orElseThrow();
        double[] lp = g.logDensity(sivi.autodiff.Ops.constant(x)).value().toDoubleArray();
        for (int i = 0; i < 7; i++) assertEquals(lp[i], lq[i], 1e-9);   // q = p: log q = log p up to the solver tolerance
    }

    @Test void aSaddlePointIsAOneLineErrorAndJitterIsOptIn() {
        // log p = −x1²/2: flat in x2, so the Hessian is singular at every mode
        Target flat = unnormalised("flat", x -> sivi.autodiff.Ops.scale(sivi.autodiff.Ops.sum(sivi.autodiff.Ops.square(sivi.autodiff.Ops.slice(x, 1, 0, 1)), 1, false), -0.5));
        var e = assertThrows(IllegalArgumentException.class, () -> Sivi.method("laplace").set("inits", 1).iterations(1).dtype(DType.F64).draws(2).fit(flat));
        assertTrue(e.getMessage().contains("not positive definite") && e.getMessage().contains("jitter"), e.getMessage());
        Fit f = Sivi.method("laplace").set("inits", 1).set("jitter", 0.25).iterations(1).dtype(DType.F64).draws(2).fit(flat);
        assertEquals(4, covarianceOf(f, 2)[3], 1e-9);   // the flat direction gets variance 1/jitter
    }

    @Test void startsWithoutAModeAreReplacedAndAllFailingIsOneError() {
        // the half-line target's starts in (−4, −1] have no finite log p; its mode (√5 − 1)/2 is found regardless
        int replaced = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Fit f = Sivi.method("laplace").set("inits", "4").set("init_radius", "4").iterations(4).dtype(DType.F64).draws(10).seed(seed).fit(PathfinderTest.halfLine());
            assertEquals((Math.sqrt(5) - 1) / 2, f.params().get("q.mu").toDoubleArray()[0], 1e-6, "seed " + seed);
            replaced += (int) f.session().report().get("starts_failed");
        }
        assertTrue(replaced > 0, "no start was replaced in 5 seeds × 4 starts (each fails with probability 3/8)");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Sivi.method("laplace").set("inits", "2").iterations(2).dtype(DType.F64).draws(10).seed(1).fit(PathfinderTest.nowhere()));
        assertTrue(e.getMessage().contains(Modes.START_TRIES + " starts tried"), e.getMessage());
    }

    @Test void runsOnBananaAndLogisticRegression() {
        for (String name : new String[] {"banana", "lr-waveform"}) {
            Target t = Targets.create(name);
            Fit f = Sivi.method("laplace").preset("laplace-" + name).iterations(4).draws(20).fit(t);
            assertTrue(Double.isFinite((double) f.session().report().get("log_z")), name);
            for (double v : f.samples().toDoubleArray()) assertTrue(Double.isFinite(v), name);
        }
    }
}
