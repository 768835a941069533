package sivi.methods;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.HierarchicalChain;
import sivi.families.SemiImplicit;
import sivi.families.SemiImplicitGaussian;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.targets.AnnealedTarget;
import sivi.targets.Banana;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;
import static sivi.methods.GradientCheckTest.assertDirectionalDerivative;

/**
 * Gradient checks of the losses that had none (issue #20): UIVI, SVGD, KPG, KPG-IS, HSIVI (LB and SM)
 * and the SIVI-SM critic step. Where the loss lives inside a session, the check is end to end: one
 * {@link Session#step} from a seeded state, the gradient read back from Adam's first moment (after
 * one step m = (1 − β₁)·g exactly, β₁ = 0.9), against central differences of the method's surrogate
 * rebuilt here from the paper's formula on the same draws (the session's draw order reproduced with
 * the same seed). Float64, common random numbers, h = 1e-5 (GradientCheckTest's helper).
 * Families with ReLU nets are piecewise smooth: a ±1e-5 step crosses a kink with probability
 * ~ (units × batch × 1e-5) ≈ 1e-2, and the seeds are fixed.
 */
class MethodGradientTest {
    static final Target BANANA = new Banana();

    /** g = m/(1 − β₁) for every parameter of an Adam group after its first step. */
    static Map<String, Tensor> adamGradient(TrainState s, String group) {
        Map<String, Tensor> g = new HashMap<>();
        String key = "opt/" + group + "/m/";
        s.snapshot().forEach((k, v) -> {
            if (!k.startsWith(key)) return;
            String name = k.substring(key.length());
            double[] m = v.toDoubleArray();
            for (int i = 0; i < m.length; i++) m[i] /= 0.1;
            g.put(name, Tensor.of(DType.F64, m, s.params().get(name).shape()));
        });
        assertFalse(g.isEmpty(), "no Adam state for group " + group);
        return g;
    }

    static Map<String, Tensor> merged(TrainState s, String... groups) {
        Map<String, Tensor> g = new HashMap<>();
        for (String gr : groups) g.putAll(adamGradient(s, gr));
        return g;
    }

    static double[] values(Var v) { return v.value().toDoubleArray(); }

    /** Lower median of all entries (the convention of Ops.median). */
    static double lowerMedian(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[(s.length - 1) / 2];
    }

    /** v_n = w Σ_m exp(−|x_n − y_m|²/(2h²)) c_m with h² = ½·median(D)/log(M + 1) (docs/algorithms.md#kernels). */
    static double[] kernelField(double[] x, double[] y, double[] c, int d, double w) {
        int n = x.length / d, m = y.length / d;
        double[] dist = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) { double e = x[i * d + k] - y[j * d + k]; s += e * e; }
                dist[i * m + j] = s;
            }
        double h2 = 0.5 * lowerMedian(dist) / Math.log(m + 1);
        double[] v = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                double k = w * Math.exp(-dist[i * m + j] / (2 * h2));
                for (int l = 0; l < d; l++) v[i * d + l] += k * c[j * d + l];
            }
        return v;
    }

    /** c = ∇_x log q(x | z) − s_p(x) = −ξ/σ − s_p(x) of a Gaussian-conditional draw, plain doubles. */
    static double[] scoreGap(Target t, Family.Draw a, int n, int d) {
        double[] xi = values(a.xi()), sg = values(a.sigma()), sp = t.scoreValue(a.x().value()).toDoubleArray(), c = new double[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) c[i * d + j] = -xi[i * d + j] / sg[sg.length == d ? j : i * d + j] - sp[i * d + j];
        return c;
    }

    static double dot(double[] v, Var x) {
        double[] a = values(x);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += v[i] * a[i];
        return s;
    }

    /**
     * KPG (Pielok et al. 2026, docs/algorithms.md#kpg): ∇_φ = (1/N) Σ_n J_φ(x_n)ᵀ v_n with v = K·C' from a
     * second batch. Also the reported KSD² estimate (1/N²) Σ_n c_nᵀ v_n, to rounding.
     */
    @Test void kpgGradientIsThePathGradientWithTheKernelField() {
        int n = 24, d = 2;
        Options o = Options.of("batch", "" + n, "zdim", "3", "hidden", "8", "logvar_init", "-1");
        Session s = new Kpg().init(BANANA, o, DType.F64, new Rng(3));
        Params before = s.state().params().copy();
        StepInfo info = s.step(BANANA, 0, new Rng(7));

        SemiImplicitGaussian q = SemiImplicitGaussian.create(new Params(), "q", d, 3, 8, -1, -20, new Rng(3), DType.F64);
        Rng r = new Rng(7);
        Family.Draw a = q.sample(before.bind(), r, n), b = q.sample(before.bind(), r, n);
        double[] v = kernelField(values(a.x()), values(b.x()), scoreGap(BANANA, b, n, d), d, 1);
        double[] ca = scoreGap(BANANA, a, n, d);
        double ksd = 0;
        for (int i = 0; i < v.length; i++) ksd += ca[i] * v[i];
        assertEquals(ksd / (n * n), info.objective(), 1e-12 * Math.max(1, Math.abs(ksd / (n * n))), "reported KSD²");
        assertDirectionalDerivative(before, k -> k.startsWith("q."), merged(s.state(), "mean", "logvar"),
                p -> dot(v, q.sample(p.bind(), new Rng(7), n).x()) / n, "kpg family gradient");
    }

    /**
     * KPG-IS in the limit α(x) → 1 where every proposal draw comes from the prior component: the
     * weights are then exp(−D/(2h²))/M (log N − log r = 0 up to 1e-10), i.e. the KPG field over M
     * shared prior draws. Plus the proposal's own step: −(1/N) Σ log r(z_n | x_n) by finite differences.
     */
    @Test void kpgIsGradientReducesToTheKernelFieldAtAlphaOne() {
        int n = 16, m = 12, d = 2;
        double alpha = 1 - 1e-10;
        Options o = Options.of("batch", "" + n, "zdim", "3", "hidden", "8", "logvar_init", "-1", "num_proposals", "" + m,
                "proposal_hidden", "6", "alpha_inf", "" + alpha, "alpha_sup", "" + alpha);
        Session s = Kpg.importanceSampling().init(BANANA, o, DType.F64, new Rng(3));
        Params before = s.state().params().copy();
        StepInfo info = s.step(BANANA, 0, new Rng(7));

        SemiImplicitGaussian q = SemiImplicitGaussian.create(new Params(), "q", d, 3, 8, -1, -20, new Rng(3), DType.F64);
        Rng r = new Rng(7);
        Family.Draw a = q.sample(before.bind(), r, n), u = q.sample(before.bind(), r, m);
        double[] v = kernelField(values(a.x()), values(u.x()), scoreGap(BANANA, u, m, d), d, 1.0 / m);
        double[] ca = scoreGap(BANANA, a, n, d);
        double ksd = 0;
        for (int i = 0; i < v.length; i++) ksd += ca[i] * v[i];
        // weights exact to ~1e-10 relative (α = 1 − 1e-10)
        assertEquals(ksd / n, info.objective(), 1e-8 * Math.max(1, Math.abs(ksd / n)), "reported KSD²");
        assertDirectionalDerivative(before, k -> k.startsWith("q."), merged(s.state(), "mean", "logvar"),
                p -> dot(v, q.sample(p.bind(), new Rng(7), n).x()) / n, "kpg-is family gradient");

        Kpg.Proposal prop = Kpg.Proposal.create(new Params(), d, 3, 6, alpha, alpha, new Rng(3), DType.F64);
        Var xa = constant(a.x().value()), za = constant(a.z().value());
        assertDirectionalDerivative(before, k -> k.startsWith("r."), adamGradient(s.state(), "proposal"),
                p -> -mean(prop.logDensity(p.bind(), xa, za)).item(), "kpg-is proposal gradient");
    }

    /** The proposal's autodiff log-density (trained) and its plain-double twin (used in the weights) agree. */
    @Test void kpgProposalDensityMatchesItsPlainTwin() {
        Params params = new Params();
        Kpg.Proposal prop = Kpg.Proposal.create(params, 2, 3, 6, 0.1, 0.8, new Rng(4), DType.F64);
        Var x = constant(new Rng(5).normal(DType.F64, 9, 2)), z = constant(new Rng(6).normal(DType.F64, 9, 3));
        Kpg.Proposal.Heads hd = prop.heads(params.bind(), x);
        double[] lp = values(prop.logDensity(params.bind(), x, z)), al = values(hd.alpha()), mu = values(hd.mean()), sd = values(hd.scale()), zz = values(z);
        for (int i = 0; i < 9; i++) {
            double want = Kpg.Proposal.logMixture(java.util.Arrays.copyOfRange(zz, 3 * i, 3 * i + 3), al[i], mu, sd, 3 * i);
            assertEquals(want, lp[i], 1e-12 * Math.max(1, Math.abs(want)), "row " + i);
        }
    }

    /**
     * UIVI (Titsias &amp; Ruiz 2019, eq. 8) with the HMC step so small that the reverse chain stays at
     * the generating ε (leapfrog moves by 1e-300, accepted): the marginal-score estimate is then the
     * conditional score −ξ/σ, so ∇_φ = −(1/N) Σ_n (s_p(x_n) + ξ_n/σ_n)ᵀ ∂x_n/∂φ.
     */
    @Test void uiviGradientIsThePathGradientWithTheEstimatedScore() {
        int n = 20, d = 2;
        Options o = Options.of("batch", "" + n, "zdim", "3", "hidden", "6", "activation", "tanh", "chains", "2", "burn_in", "1",
                "leapfrog", "2", "step_init", "1e-300", "log_sigma_init", "-1");
        Session s = new Uivi().init(BANANA, o, DType.F64, new Rng(3));
        Params before = s.state().params().copy();
        s.step(BANANA, 0, new Rng(7));
        SemiImplicit q = Estimators.semiImplicit(o, new Params(), d, new Rng(3), DType.F64, "net_sigma");
        Family.Draw a = q.sample(before.bind(), new Rng(7), n);
        double[] xi = values(a.xi()), sg = values(a.sigma()), c = new double[n * d];
        for (int i = 0; i < c.length; i++) c[i] = xi[i] / sg[sg.length == d ? i % d : i];
        assertDirectionalDerivative(before, k -> k.startsWith("q."), adamGradient(s.state(), "q"), p -> {
            Var x = q.sample(p.bind(), new Rng(7), n).x();
            double lp = 0;
            for (double v : values(BANANA.logDensity(x))) lp += v;
            return -(lp + dot(c, x)) / n;
        }, "uivi family gradient");
    }

    /**
     * SVGD's direction (Liu &amp; Wang 2016, eq. 8) against a plain-double evaluation of the formula:
     * φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_p(x_j) + ∇_{x_j} k(x_j, x_i)], k = exp(−|x_i − x_j|²/(2h²)),
     * so ∇_{x_j} k = k (x_i − x_j)/h², with h² = ½·median(D)/log(n + 1) over all n² squared distances.
     */
    @Test void svgdDirectionMatchesTheFormula() {
        int n = 15, d = 2;
        double[] x = new Rng(8).normal(DType.F64, n, d).toDoubleArray();
        Tensor xt = Tensor.of(DType.F64, x, n, d);
        double[] sc = BANANA.scoreValue(xt).toDoubleArray(), got = Svgd.direction(xt, BANANA.scoreValue(xt)).toDoubleArray();
        double[] dist = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) for (int k = 0; k < d; k++) { double e = x[i * d + k] - x[j * d + k]; dist[i * n + j] += e * e; }
        double h2 = 0.5 * lowerMedian(dist) / Math.log(n + 1);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) {
                double want = 0;
                for (int j = 0; j < n; j++) {
                    double kij = Math.exp(-dist[i * n + j] / (2 * h2));
                    want += kij * sc[j * d + k] + kij * (x[i * d + k] - x[j * d + k]) / h2;
                }
                want /= n;
                assertEquals(want, got[i * d + k], 1e-12 * Math.max(1, Math.abs(want)), "phi[" + i + "][" + k + "]");
            }
    }

    /**
     * The SIVI-SM critic step (Yu &amp; Zhang 2023, §7c): ψ minimises −(1/N) Σ_n g_nᵀ(2(s_p + ξ_n/σ) − g_n),
     * g = f_ψ(x), on a fresh batch drawn after the φ-step, with x, ξ/σ and s_p constants.
     */
    @Test void siviSmCriticGradientMatchesFiniteDifferences() {
        int n = 16, d = 2;
        Options o = Options.of("batch", "" + n, "zdim", "3", "hidden", "8", "f_hidden", "8");
        Session s = new SiviSm().init(BANANA, o, DType.F64, new Rng(3));
        Params before = s.state().params().copy();
        s.step(BANANA, 0, new Rng(7));
        SemiImplicitGaussian q = SemiImplicitGaussian.create(new Params(), "q", d, 3, 8, 0, -6, new Rng(3), DType.F64);
        Mlp critic = Mlp.create(new Params(), "f", new int[] {d, 8, 8, d}, Activation.RELU, new Rng(3), DType.F64);
        Rng r = new Rng(7);
        q.sample(before.bind(), r, n);                                              // the φ-step's batch
        Family.Draw b = GradMode.noGrad(() -> q.sample(s.state().params().bind(), r, n)); // after the φ-step
        Var sp = constant(BANANA.scoreValue(b.x().value()));
        assertDirectionalDerivative(before, k -> k.startsWith("f."), adamGradient(s.state(), "critic"),
                p -> -SiviSm.objective(SiviSm.critic(critic, p.bind(k -> false), b.x(), sp, 0), sp, b).item(), "sivi-sm critic gradient");
    }

    /**
     * HSIVI (Yu et al. 2023, docs/algorithms.md#hsivi), joint schedule with every layer: layer t's loss on
     * inputs x_t simulated without gradient, against the auxiliary target p_{t−1} with
     * β_{t−1} = 1 − (t−1)/T (linear path). LB: the SIVI surrogate with K shared mixing draws;
     * SM: the φ-loss with the layer's critic frozen (the critic step is SIVI-SM's, checked above).
     */
    @ParameterizedTest @ValueSource(strings = {"lb", "sm"})
    void hsiviGradientsMatchFiniteDifferences(String objective) {
        int n = 12, k = 5, layers = 2, d = 2;
        Options o = Options.of("objective", objective, "layers", "" + layers, "hidden", "6", "activation", "tanh", "batch", "" + n, "k", "" + k,
                "f_hidden", "6");
        Session s = new Hsivi().init(BANANA, o, DType.F64, new Rng(3));
        Params before = s.state().params().copy();
        s.step(BANANA, 0, new Rng(7));
        Params scratch = new Params();
        HierarchicalChain q = HierarchicalChain.create(scratch, "q", d, layers, 6, Activation.TANH, true, 0, 1, -1, -6, new Rng(3), DType.F64);
        Mlp[] critics = new Mlp[layers + 1];
        for (int t = 1; t <= layers; t++) critics[t] = Mlp.create(scratch, "f" + t, new int[] {d, 6, 6, d}, Activation.RELU, new Rng(3), DType.F64);
        boolean lb = objective.equals("lb");
        // the session's draw order (layers = 2): inputs x_2 = base, x_1 = layer 2 of it, for the batch (and then
        // for the K extra draws of LB), all with the initial parameters and no gradient; then one layer draw
        // per layer t = 2, 1 inside the losses
        Var[][] inputs = new Var[2][3];
        int blocks = lb ? 2 : 1;
        Rng replay = new Rng(7);
        for (int c = 0; c < blocks; c++) {
            Var base = q.sampleBase(replay, c == 0 ? n : k);
            inputs[c][2] = base;
            inputs[c][1] = constant(GradMode.noGrad(() -> q.layer(before.bind(x -> false), 2, base, replay)).x().value());
        }
        Map<String, Tensor> g = new HashMap<>();
        for (int t = 1; t <= layers; t++) { g.putAll(adamGradient(s.state(), "mean" + t)); g.putAll(adamGradient(s.state(), "sigma" + t)); }
        assertDirectionalDerivative(before, x -> x.startsWith("q."), g, p -> {
            Rng rr = new Rng(7);
            for (int c = 0; c < blocks; c++) { q.sampleBase(rr, c == 0 ? n : k); rr.normal(DType.F64, c == 0 ? n : k, d); } // skip to the layer draws
            double total = 0;
            Params.Bound pb = p.bind(x -> x.startsWith("q."));
            for (int t = layers; t >= 1; t--) {
                Target aux = new AnnealedTarget(BANANA, 1 - (double) (t - 1) / layers, 0, 1);
                if (lb) total += Hsivi.lbLoss(q, pb, t, inputs[0][t], inputs[1][t], aux, rr).item();
                else {
                    Family.Draw dr = q.layer(pb, t, inputs[0][t], rr);
                    Var sp = aux.score(dr.x());
                    total += SiviSm.objective(SiviSm.critic(critics[t], pb, dr.x(), sp, 0), sp, dr).item();
                }
            }
            return total;
        }, "hsivi-" + objective + " layer gradients");
    }
}
