package sivi.diffusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Diffusion distillation by semi-implicit score matching: HSIVI-SM (Yu, Xie, Zhu, Yang, Zhang, Zhang,
 * NeurIPS 2023, §3–4; docs/algorithms.md#hsivi-sm) and our reconstruction of CoSIM (Yu et al., ICML 2025;
 * docs/algorithms.md#cosim). Both fit the layers q_φ(x_s | x_t) of {@link Layer} so that the marginal q_φ(x_s)
 * matches the teacher's diffusion marginal p_s, with the SIVI-SM minimax (docs/algorithms.md#sivi-sm) in
 * ε-units per layer:
 * <pre>
 *   critic:  min_ψ  mean_n Σ_j σ_s²·(f_ψ(x_s)_j − (ξ/g)_j)²                     (x_s, ξ/g without gradient)
 *   φ:       min_φ  mean_n Σ_j σ_s²·(2 G_j·(−e*_j + (ξ/g)_j) − G_j²),  G = f_ψ(x_s) − e*,  e* = ε_teacher(x_s, s)
 * </pre>
 * where −e* + ξ/g = σ_s(s_{p_s}(x_s) − ∇ log q_φ(x_s | x_t)); the φ-gradient flows through x_s into
 * the frozen teacher and the frozen critic (a VJP through both networks' inputs, built by the graph
 * with their weights as constants), and through ξ/g into γ. The critic is updated every iteration,
 * φ (network and γ) every {@code f_learning_times} iterations (20, HSIVI code). The generator φ and
 * the critic start as copies of the teacher.
 *
 * <p><b>HSIVI-SM</b> ({@link #hsivi}): fixed grid t_0 &lt; … &lt; t_{n−1}; each item picks a layer r ∈ {1..n−1}
 * (antithetic: half the batch r, the other half n − r); its input x_{t_r} is simulated from N(0, I)
 * through the current layers without gradient (data-free).
 *
 * <p><b>CoSIM (reconstruction)</b> ({@link #cosim}): the kernel q_φ(x_s | x_t) is defined for any
 * s &lt; t: the generator and the critic take both times (x, t, s), the extra time input initialised
 * to zero so both start as the teacher. Training is simulation-free: x_t = √ᾱ_t x₀ + σ_t ε from data.
 * Pairs (t, s) cover every quad grid of n ∈ [nfe_min, nfe_max] steps at every offset:
 * u ~ U(0, 1], k ~ U{nfe_min..nfe_max}, t = t_max·u², s = t_max·max(0, u − 1/k)². The critic is
 * conditioned on (s, t) because q_φ(x_s) = ∫ q_φ(x_s | x_t) p_t(x_t) dx_t depends on t during training.
 * The loss is the σ_s²-scaled Fisher divergence above (the paper's "scaled Fisher divergence"); the
 * paper's additional regulariser and its SiD-style α-combination are not reconstructed (their form was
 * not available) — see the module README.
 */
public final class Distillation implements Method {
    private final Teacher teacher;
    private final boolean continuous;

    private Distillation(Teacher teacher, boolean continuous) { this.teacher = teacher; this.continuous = continuous; }

    public static Distillation hsivi(Teacher teacher) { return new Distillation(teacher, false); }

    public static Distillation cosim(Teacher teacher) { return new Distillation(teacher, true); }

    @Override public String name() { return continuous ? "cosim" : "hsivi-sm"; }

    @Override public String description() {
        return continuous ? "continuous semi-implicit model distillation (CoSIM reconstruction)" : "hierarchical SIVI-SM distillation of a diffusion teacher (Yu et al. 2023)";
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int nfe = o.getInt("nfe", 10), batch = o.getInt("batch", 128), fTimes = o.getInt("f_learning_times", 20);
        String gridKind = o.getString("grid", "quad");
        double eta = o.getDouble("eta", 0.2);
        double lrPhi = o.getDouble("lr_phi", 1e-4), lrF = o.getDouble("lr_f", 5e-4), gamma = o.getDouble("lr_gamma", 0.9), clip = o.getDouble("clip", 1.0);
        int step = o.getInt("lr_step", 3000), warm = o.getInt("lr_warmup", 100);
        double ema = o.getDouble("ema", 0);
        int nMin = continuous ? o.getInt("nfe_min", 4) : 0, nMax = continuous ? o.getInt("nfe_max", 16) : 0;
        double tMax = continuous ? o.getDouble("t_max", 800) : 800;
        if (target.dim() != teacher.dim()) throw new IllegalArgumentException(name() + ": target has dimension " + target.dim() + ", teacher " + teacher.dim());
        if (batch < 2) throw new IllegalArgumentException(name() + ": batch must be >= 2");
        if (fTimes < 1) throw new IllegalArgumentException(name() + ": f_learning_times must be >= 1");
        if (continuous && (nMin < 1 || nMax < nMin)) throw new IllegalArgumentException("cosim: need 1 <= nfe_min <= nfe_max");
        if (continuous && target.exactSample(rng.split(), 1).isEmpty()) throw new IllegalArgumentException("cosim: training is simulation-free and needs data (a DataTarget)");
        TimeGrid grid = TimeGrid.parse(gridKind, nfe, teacher.schedule().steps());

        TrainState state = new TrainState();
        int times = continuous ? 2 : 1;
        EpsNet phi = teacher.net().copyTo(teacher.params(), state.params(), "phi", times);
        EpsNet critic = teacher.net().copyTo(teacher.params(), state.params(), "f", times);
        state.params().add("gamma", Tensor.zeros(dtype, 1, teacher.dim()));
        // HSIVI recipe: Adam with AMSGrad, betas (0.9, 0.999), warm-up, lr·0.9^⌊step/3000⌋, clip 1.0
        state.addGroup("phi", List.of("phi.", "gamma"), new Adam(0.9, 0.999, 1e-8, 0, true), LrSchedule.step(lrPhi, gamma, step).withWarmup(warm), clip);
        state.addGroup("critic", List.of("f."), new Adam(0.9, 0.999, 1e-8, 0, true), LrSchedule.step(lrF, gamma, step).withWarmup(warm), clip);
        if (ema > 0) state.enableEma(ema);
        return new DistillSession(name(), state, teacher, phi, critic, continuous, grid, eta, batch, fTimes, nMin, nMax, tMax, new double[] {Double.NaN});
    }

    /**
     * The running distillation; {@link #sampler()} is the current (EMA) few-step sampler.
     * {@code lastPhiLoss} is a one-element diagnostic buffer (the last φ-loss, reported on every
     * iteration as the extra "loss_phi"); it is written by {@link #step} and is not training state.
     */
    public record DistillSession(String method, TrainState state, Teacher teacher, EpsNet phi, EpsNet critic, boolean continuous, TimeGrid grid,
                                 double eta, int batch, int fTimes, int nfeMin, int nfeMax, double tMax, double[] lastPhiLoss) implements Session {

        @Override public StepInfo step(Target target, int iteration, Rng rng) {
            DType dt = state.params().get("gamma").dtype();
            Inputs in = continuous ? forwardNoised(target, rng, dt) : simulated(rng, dt);
            Layer layer = Layer.of(teacher.schedule(), in.t, in.s, eta, dt);
            int n = in.t.length, d = teacher.dim();

            // critic step: denoising score matching for the current q_φ(x_s) in ε-units
            Tensor xi = rng.normal(dt, n, d);
            Tensor[] gen = GradMode.noGrad(() -> {
                Params.Bound p = state.params().bind(k -> false);
                Var[] o = layer.sample(constant(in.x), phiForward(p, in), p.get("gamma"), xi);
                return new Tensor[] {o[0].value(), o[1].value()};
            });
            Params.Bound pf = state.bind("critic");
            Var f = criticForward(pf, constant(gen[0]), in);
            Var lossF = scale(sum(mul(constant(layer.weight()), square(sub(f, constant(gen[1]))))), 1.0 / n);
            state.apply("critic", pf.gradients(lossF), iteration);

            // φ step every f_learning_times critic steps, on the same inputs with fresh ξ
            if ((iteration + 1) % fTimes == 0) {
                Params.Bound pp = state.bind("phi");
                Var lossPhi = phiLoss(pp, in, layer, rng.normal(dt, n, d));
                state.apply("phi", pp.gradients(lossPhi), iteration);
                lastPhiLoss[0] = lossPhi.item();
            }
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("loss_phi", lastPhiLoss[0]);
            return new StepInfo(lossF.item(), extras);
        }

        /** The φ-loss of HSIVI-SM (see the class comment) for bound parameters p (φ and γ trainable, critic frozen). */
        Var phiLoss(Params.Bound p, Inputs in, Layer layer, Tensor xi) {
            Var[] o = layer.sample(constant(in.x), phiForward(p, in), p.get("gamma"), xi);
            Var xs = o[0];
            Var eStar = teacher.net().forward(teacher.params().bind(k -> false), xs, in.s);   // frozen teacher, input-differentiated
            Var g = sub(criticForward(p, xs, in), eStar);
            Var inner = sub(scale(mul(g, add(neg(eStar), o[1])), 2), square(g));
            return scale(sum(mul(constant(layer.weight()), inner)), 1.0 / in.t.length);
        }

        private Var phiForward(Params.Bound p, Inputs in) {
            return continuous ? phi.forward(p, constant(in.x), in.t, in.s) : phi.forward(p, constant(in.x), in.t);
        }

        private Var criticForward(Params.Bound p, Var xs, Inputs in) {
            return continuous ? critic.forward(p, xs, in.s, in.t) : critic.forward(p, xs, in.s);
        }

        /** HSIVI inputs: antithetic layer choice, x_{t_r} simulated from N(0, I) through the current layers without gradient. */
        Inputs simulated(Rng rng, DType dt) {
            int levels = grid.levels(), n = batch, d = teacher.dim();
            int[] level = new int[n];
            int half = n / 2;
            for (int k = 0; k < half; k++) { level[k] = 1 + rng.nextInt(levels - 1); level[half + k] = levels - level[k]; }
            if (n % 2 == 1) level[n - 1] = 1 + rng.nextInt(levels - 1);
            double[] x = rng.normal(dt, n, d).toDoubleArray();
            FewStepSampler current = sampler(state.params());
            for (int lv = levels - 1; lv >= 2; lv--) {
                List<Integer> rows = new ArrayList<>();
                for (int k = 0; k < n; k++) if (level[k] < lv) rows.add(k);
                if (rows.isEmpty()) break;
                double[] sub = new double[rows.size() * d];
                for (int r = 0; r < rows.size(); r++) System.arraycopy(x, rows.get(r) * d, sub, r * d, d);
                double[] next = current.step(Tensor.of(dt, sub, rows.size(), d), grid.at(lv), grid.at(lv - 1), rng.normal(dt, rows.size(), d)).toDoubleArray();
                for (int r = 0; r < rows.size(); r++) System.arraycopy(next, r * d, x, rows.get(r) * d, d);
            }
            double[] t = new double[n], s = new double[n];
            for (int k = 0; k < n; k++) { t[k] = grid.at(level[k]); s[k] = grid.at(level[k] - 1); }
            return new Inputs(Tensor.of(dt, x, n, d), t, s);
        }

        /** CoSIM inputs: x_t forward-noised from data at continuous t, s on a random quad grid below t. */
        Inputs forwardNoised(Target target, Rng rng, DType dt) {
            int n = batch, d = teacher.dim();
            double[] x0 = target.exactSample(rng, n).orElseThrow().toDoubleArray();
            double[] t = new double[n], s = new double[n], x = new double[n * d];
            NoiseSchedule sch = teacher.schedule();
            for (int k = 0; k < n; k++) {
                double u = 1 - rng.nextDouble();
                int steps = nfeMin + rng.nextInt(nfeMax - nfeMin + 1);
                t[k] = tMax * u * u;
                double us = Math.max(0, u - 1.0 / steps);
                s[k] = tMax * us * us;
                double a = Math.sqrt(sch.alphaBar(t[k])), sg = sch.sigma(t[k]);
                for (int j = 0; j < d; j++) x[k * d + j] = a * x0[k * d + j] + sg * rng.nextGaussian();
            }
            return new Inputs(Tensor.of(dt, x, n, d), t, s);
        }

        FewStepSampler sampler(Params params) {
            Params p = new Params();
            for (String k : phi.paramNames()) p.put(k, params.get(k));
            p.put("gamma", params.get("gamma"));
            return new FewStepSampler(method, phi, p, teacher.schedule(), teacher.betaStart(), teacher.betaEnd(), grid, eta);
        }

        /** The few-step sampler from the evaluation (EMA when enabled) parameters. */
        public FewStepSampler sampler() { return sampler(state.evaluationParams()); }

        @Override public Tensor sample(Rng rng, int n) { return sampler().sample(rng, n); }
    }

    /** One batch of layer inputs x_t (N×d) with per-row start times t and target times s. */
    record Inputs(Tensor x, double[] t, double[] s) {
        @Override public String toString() { return "Inputs(" + Arrays.toString(x.shape()) + ")"; }
    }
}
