package sivi.methods;

import org.junit.jupiter.api.Test;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.families.HierarchicalChain;
import sivi.fit.Fit;
import sivi.fit.FitConfig;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Trainer;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.targets.AnnealedTarget;
import sivi.targets.Funnel;
import sivi.targets.Gaussian;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/** HSIVI (docs/algorithms.md#hsivi): the annealed auxiliary targets, the per-layer LB bound, schedules (Gaussian recovery: MethodRecoveryTest). */
class HsiviTest {
    /** Diagonal Gaussian target N((1, −0.5), diag(0.6², 1.4²)). */
    static final double[] M = {1.0, -0.5}, S = {0.6, 1.4};
    static final Gaussian TARGET = new Gaussian(M, new double[][] {{S[0] * S[0], 0}, {0, S[1] * S[1]}});

    @Test void annealedScoreAndHvpMatchAutodiff() {
        Rng rng = new Rng(3);
        for (Target base : new Target[] {Gaussian.correlated(3, 0.5), new Funnel(4)}) {
            for (double beta : new double[] {0, 0.3, 1}) {
                AnnealedTarget a = new AnnealedTarget(base, beta, 0.4, 1.7);
                Tensor x = rng.normal(DType.F64, 5, base.dim()), v = rng.normal(DType.F64, 5, base.dim());
                Tensor s = a.scoreValue(x), sRef = GradMode.with(true, () -> Autodiff.grad(u -> Ops.sum(a.logDensity(u)), x));
                Tensor h = a.hvpValue(x, v), hRef = GradMode.with(true, () -> Autodiff.hvp(u -> Ops.sum(a.logDensity(u)), x, v));
                assertClose(sRef.toDoubleArray(), s.toDoubleArray(), 1e-9, base.name() + " score beta=" + beta);
                assertClose(hRef.toDoubleArray(), h.toDoubleArray(), 1e-9, base.name() + " hvp beta=" + beta);
                // the score op's backward is the HVP
                Var xv = Var.leaf(x);
                Tensor g = Autodiff.grad(sum(mul(a.score(xv), constant(v))), new Var[] {xv}, null, false)[0].value();
                assertClose(hRef.toDoubleArray(), g.toDoubleArray(), 1e-9, base.name() + " score-op backward beta=" + beta);
            }
        }
        double[] lin = Hsivi.betas("linear", 4, 0), geo = Hsivi.betas("geometric", 3, 0.01);
        assertArrayEquals(new double[] {1, 0.75, 0.5, 0.25, 0}, lin, 1e-15);
        assertArrayEquals(new double[] {1, 0.1, 0.01, 0}, geo, 1e-12);
    }

    /** Every hsivi preset reads all its keys and runs a few iterations (small sizes). */
    @Test void hsiviPresetsRun() {
        int seen = 0;
        for (sivi.fit.Preset p : sivi.fit.Registry.presets().values()) {
            if (!p.method().equals("hsivi")) continue;
            seen++;
            Options o = p.options().with(Options.of("batch", "16", "hidden", "8", "f_hidden", "8"));
            Fit f = Trainer.fit(new Hsivi(), sivi.targets.Targets.create(p.target()), o, FitConfig.defaults(3).withDraws(5), Progress.SILENT);
            for (double v : f.trace().objective()) assertTrue(Double.isFinite(v), p.name());
        }
        assertEquals(4, seen);   // multimodal, x-shaped, funnel, lr-waveform
    }

    @Test void jointRandomAndLayerwiseSchedulesRun() {
        Target t = Gaussian.correlated(2, 0.3);
        for (String[] s : new String[][] {{"joint", "all"}, {"joint", "random"}, {"layerwise", "all"}})
            for (String objective : new String[] {"sm", "lb"}) {
                Options o = Options.of("objective", objective, "schedule", s[0], "joint_layers", s[1], "layers", "3", "hidden", "8",
                        "batch", "20", "layer_iterations", "4").with(objective.equals("lb") ? "k" : "f_hidden", objective.equals("lb") ? 10 : 8);
                Fit fit = Trainer.fit(new Hsivi(), t, o, FitConfig.defaults(12).withDraws(50), Progress.SILENT);
                for (double v : fit.trace().objective()) assertTrue(Double.isFinite(v), s[0] + "/" + s[1] + "/" + objective);
                for (double v : fit.samples().toDoubleArray()) assertTrue(Double.isFinite(v));
                if (s[0].equals("layerwise"))
                    assertArrayEquals(new double[] {3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1}, fit.trace().extras().get("layer"), 0, "layer-wise order");
            }
    }

    /** Layer-wise: while the top layer trains, the lower layers' parameters do not move. */
    @Test void layerwiseLeavesLowerLayersUntouched() {
        Target t = Gaussian.correlated(2, 0.3);
        Options o = Options.of("schedule", "layerwise", "layers", "2", "hidden", "8", "batch", "20", "f_hidden", "8", "layer_iterations", "5");
        Fit init = Trainer.fit(new Hsivi(), t, o, FitConfig.defaults(0).withDraws(1), Progress.SILENT);
        Fit after = Trainer.fit(new Hsivi(), t, o, FitConfig.defaults(5).withDraws(1), Progress.SILENT);
        for (String name : init.params().names()) {
            boolean same = java.util.Arrays.equals(init.params().get(name).toDoubleArray(), after.params().get(name).toDoubleArray());
            if (name.startsWith("q.l1.") || name.startsWith("f1.")) assertTrue(same, name + " moved while layer 2 trained");
            if (name.startsWith("q.l2.")) assertFalse(same, name + " did not move");
        }
    }

    /**
     * The HSIVI-LB surrogate of a layer is ≤ that layer's true ELBO E_q[log p_{t−1}] + H(q(x_{t−1})):
     * with linear layers every marginal is Gaussian in closed form (q(x_1) = N(b₂ + m M₂, s² M₂ᵀM₂ + σ₂²),
     * q(x_0) = N(b₁ + μ₁ M₁, M₁ᵀ Σ₁ M₁ + σ₁²)), E_q log p by 40k exact draws. Checked for both layers at
     * K ∈ {1, 20}, R replicates, one-sided at 3.5 SE; the K = 1 gap must be visible.
     */
    @Test void lbSurrogateIsBelowTheLayerElbo() {
        Params params = new Params();
        HierarchicalChain q = HierarchicalChain.create(params, "q", 2, 2, 3, Activation.IDENTITY, false, 0.3, 1.2, -1.5, -6, new Rng(11), DType.F64);
        Hsivi.Config cfg = new Hsivi.Config(true, "joint", false, 1, 40, 0, 0, Hsivi.betas("linear", 2, 0), 0.3, 1.2, 0, 100);
        Params.Bound pb = params.bind(n -> false);
        // marginal of x_2 (base) then x_1, x_0
        double[] mu = {0.3, 0.3};
        double[][] cov = {{1.44, 0}, {0, 1.44}};
        for (int t = 2; t >= 1; t--) {
            int tt = t;
            double[] b = GradMode.noGrad(() -> q.mean(pb, tt, constant(Tensor.zeros(DType.F64, 1, 2))).value().toDoubleArray());
            double[][] mm = new double[2][];
            for (int i = 0; i < 2; i++) {
                double[] e = new double[2]; e[i] = 1;
                double[] r = GradMode.noGrad(() -> q.mean(pb, tt, constant(Tensor.of(DType.F64, e, 1, 2))).value().toDoubleArray());
                mm[i] = new double[] {r[0] - b[0], r[1] - b[1]};
            }
            double[] sig = GradMode.noGrad(() -> exp(q.logSigma(pb, tt)).value().toDoubleArray());
            double[] nmu = new double[2];
            double[][] ncov = new double[2][2];
            for (int j = 0; j < 2; j++) {
                nmu[j] = b[j] + mu[0] * mm[0][j] + mu[1] * mm[1][j];
                for (int l = 0; l < 2; l++) {
                    double c = 0;
                    for (int a = 0; a < 2; a++) for (int a2 = 0; a2 < 2; a2++) c += mm[a][j] * cov[a][a2] * mm[a2][l];
                    ncov[j][l] = c + (j == l ? sig[j] * sig[j] : 0);
                }
            }
            Target aux = Hsivi.auxiliary(TARGET, cfg, t - 1);
            double det = ncov[0][0] * ncov[1][1] - ncov[0][1] * ncov[1][0];
            double entropy = 0.5 * Math.log(Math.pow(2 * Math.PI * Math.E, 2) * det);
            // E_q log p by exact Gaussian draws (Cholesky of ncov)
            int m = 40000;
            double l00 = Math.sqrt(ncov[0][0]), l10 = ncov[1][0] / l00, l11 = Math.sqrt(ncov[1][1] - l10 * l10);
            double[] z = new Rng(77 + t).normal(DType.F64, m, 2).toDoubleArray(), xs = new double[2 * m];
            for (int i = 0; i < m; i++) { xs[2 * i] = nmu[0] + l00 * z[2 * i]; xs[2 * i + 1] = nmu[1] + l10 * z[2 * i] + l11 * z[2 * i + 1]; }
            double[] lp = GradMode.noGrad(() -> aux.logDensity(constant(Tensor.of(DType.F64, xs, m, 2))).value().toDoubleArray());
            double elp = java.util.Arrays.stream(lp).average().orElseThrow();
            double elbo = elp + entropy;
            double[] means = new double[2];
            int[] ks = {1, 20};
            for (int ki = 0; ki < ks.length; ki++) {
                int k = ks[ki], rr = 300;
                double s1 = 0, s2 = 0;
                for (int r = 0; r < rr; r++) {
                    Rng rng = Rng.of(500 + k + 10 * t, r);
                    double v = -GradMode.noGrad(() -> {
                        Var xt = sampleMarginal(q, params, tt, rng, 40), extra = sampleMarginal(q, params, tt, rng, k);
                        return Hsivi.lbLoss(q, pb, tt, xt, extra, aux, rng);
                    }).item();
                    s1 += v; s2 += v * v;
                }
                double mean = s1 / rr, se = Math.sqrt((s2 / rr - mean * mean) / rr);
                means[ki] = mean;
                assertTrue(mean <= elbo + 3.5 * se + 0.01, "layer " + t + " L_" + k + " = " + mean + " ± " + se + " exceeds ELBO " + elbo);
                if (k == 1) assertTrue(elbo - mean > 5 * se, "layer " + t + ": no gap at K = 1 (" + mean + " vs " + elbo + ")");
            }
            assertTrue(means[1] > means[0], "layer " + t + ": L_20 " + means[1] + " not above L_1 " + means[0]);
            mu = nmu;
            cov = ncov;
        }
    }

    /** n draws of x_t through the upper layers (constants). */
    static Var sampleMarginal(HierarchicalChain q, Params params, int t, Rng rng, int n) { return q.simulate(params, t, rng, n); }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + " [" + i + "]");
    }
}
