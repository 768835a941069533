package sivi.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.Gaussians;
import sivi.families.HierarchicalChain;
import sivi.fit.Method;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Options;
import sivi.fit.Preset;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.AnnealedTarget;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Hierarchical semi-implicit VI (Yu, Xie, Zhu, Yang, Zhang, Zhang 2023; docs/algorithms.md#hsivi) for
 * Bayesian targets. Family: {@link HierarchicalChain}, x_T ~ N(m, s²I), x_{t−1} = μ_t(x_t) + σ_t ⊙ ξ.
 * Auxiliary targets: the geometric annealing path p_t = {@link AnnealedTarget} with β_t, where
 * β_0 = 1 (the target) and β_T = 0 (the base); layer t is trained so that q(x_{t−1}) ≈ p_{t−1}.
 * β schedules ({@code beta_schedule}): {@code linear} β_t = 1 − t/T (default);
 * {@code geometric} β_t = beta_min^{t/(T−1)} for t ≤ T−1 (so β_0 = 1, β_{T−1} = beta_min), β_T = 0.
 *
 * <p>Per-layer objectives ({@code objective}):
 * <ul>
 *   <li>{@code lb} (HSIVI-LB): the SIVI surrogate (docs/algorithms.md#sivi) of layer t with q(x_t) as mixing distribution:
 *       x_t^(n) (n ≤ N, ψ₀) and K extra x̃_t^(k) shared by the batch are simulated from the upper
 *       layers without gradient; log ĥ(x_{t−1}) = log (1/(K+1))(q_t(x_{t−1}|x_t^(n)) + Σ_k q_t(x_{t−1}|x̃_t^(k)))
 *       via {@code lseMixture}; loss_t = mean[log ĥ − log p_{t−1}(x_{t−1})]. Needs K ≥ 1.</li>
 *   <li>{@code sm} (HSIVI-SM, default): SIVI-SM (docs/algorithms.md#sivi-sm) per layer with one critic f_t per layer
 *       (Linear(d,f)–ReLU–Linear(f,f)–ReLU–Linear(f,d)): φ-step loss_t = mean g·(2 s_{p_{t−1}}(x) + 2ξ/σ_t − g),
 *       g = f_t(x) with the critic frozen but input-differentiated and the gradient flowing through
 *       s_{p_{t−1}} (score op ⇒ HVP); then {@code ftimes} critic steps on fresh ξ (same inputs x_t)
 *       with x, ξ/σ and s_p detached, maximising the same expression.</li>
 * </ul>
 * Inputs x_t are always simulated from the current upper layers WITHOUT gradient, so each layer's
 * gradient comes only from its own conditional (and, for LB, its own mixture term).
 *
 * <p>Schedules ({@code schedule}): {@code joint} (default) trains every layer each iteration
 * ({@code joint_layers=all}, one chain simulation shared by all layers) or one uniformly chosen
 * layer ({@code joint_layers=random}); {@code layerwise} trains the top layer T for
 * {@code layer_iterations} iterations, then T−1, …, layer 1 from then on (the Trainer does not pass
 * the budget to a method: set layer_iterations = iterations / T).
 *
 * <p>Other options: layers (T, 4), hidden (50), activation (relu), residual (true: μ_t = x + MLP),
 * base_mean (0), base_std (1), log_sigma_init (−1), log_sigma_min (−6), batch (N, 200), k (LB, 50),
 * lr (1e-3), lr_sigma (= lr), lr_step (1000), lr_gamma (0.9), and for SM f_hidden (128), lr_f (2e-3),
 * ftimes (1), trans_c (0 = off) and trans_epoch (100): SIVI-SM's "TransTrick" critic g = f_t(x) + ψ·s_{p_{t−1}}(x),
 * ψ = c^(−⌊it/trans_epoch⌋), as {@link SiviSm}. Objective reported: the sum of the trained layers' losses (φ-losses for SM);
 * extras "layer" (random/layerwise) and "critic_loss" (SM).
 */
public final class Hsivi implements Method {
    @Override public String name() { return "hsivi"; }

    private static List<OptionSpec> options() {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.choice("objective", "sm", "per-layer objective: sm (score matching) or lb (SIVI bound)", "sm", "lb"),
                OptionSpec.choice("schedule", "joint", "train all layers together (joint) or one after the other (layerwise)", "joint", "layerwise"),
                OptionSpec.choice("joint_layers", "all", "joint schedule: every layer each iteration (all) or one at random", "all", "random"),
                OptionSpec.integer("layers", 4, "layers T of the chain").min(1),
                OptionSpec.integer("hidden", 50, "width of each layer's network").min(1),
                Estimators.ACTIVATION,
                OptionSpec.bool("residual", true, "layer means as x + network(x)"),
                OptionSpec.real("base_mean", 0.0, "mean of the base N(base_mean, base_std²)"),
                OptionSpec.real("base_std", 1.0, "sd of the base").positive(),
                OptionSpec.choice("beta_schedule", "linear", "annealing path β_0 = 1 … β_T = 0", "linear", "geometric"),
                OptionSpec.real("beta_min", 0.01, "smallest positive β of the geometric path"),
                OptionSpec.integer("batch", 200, "draws per iteration (N)").min(2),
                OptionSpec.integer("k", 50, "extra mixing draws of the lb bound").min(1).onlyWhen("objective", "lb"),
                OptionSpec.integer("layer_iterations", 1000, "iterations per layer of the layerwise schedule").unit("iterations").min(1),
                Estimators.lr("lr", 1e-3, "Adam learning rate of the layer means"),
                Estimators.lr("lr_sigma", null, "Adam learning rate of log σ (default: lr)"),
                OptionSpec.real("lr_gamma", 0.9, "StepLR decay factor"),
                OptionSpec.integer("lr_step", 1000, "StepLR period").unit("iterations").min(1),
                OptionSpec.real("log_sigma_init", -1.0, "initial log σ of each layer"),
                OptionSpec.real("log_sigma_min", -6.0, "lower clamp of log σ")));
        for (OptionSpec c : SiviSm.CRITIC) o.add(c.onlyWhen("objective", "sm"));
        return o;
    }

    /**
     * The presets hsivi-{multimodal, x-shaped, funnel, lr-waveform}. No reference config
     * exists for HSIVI on these targets: the numbers are ours (SIVI-SM's toy recipe per layer — lr 1e-3,
     * critic 128 wide with lr 2e-3, StepLR 0.9 every 1000 — with T = 4 residual layers of width 50,
     * batch 200, linear β path, joint schedule with all layers every iteration, 20k iterations;
     * funnel: base std 2 to cover the neck-to-mouth range of v ~ N(0, 9)).
     */
    private static List<Preset> presets() {
        List<Preset> out = new ArrayList<>();
        String src = "ours (no reference HSIVI config for Bayesian targets exists): SIVI-SM toy recipe per layer, T = 4, linear beta path";
        for (String t : new String[] {"multimodal", "x-shaped", "funnel"}) {
            Options o = Options.of("objective", "sm", "schedule", "joint", "layers", "4", "hidden", "50", "batch", "200",
                    "lr", "1e-3", "lr_f", "2e-3", "f_hidden", "128", "lr_step", "1000", "lr_gamma", "0.9",
                    "log_sigma_init", "-1", "log_sigma_min", "-6", "beta_schedule", "linear");
            if (t.equals("funnel")) o = o.with("base_std", "2");
            out.add(new Preset("hsivi-" + t, "hsivi", t, 20000, o, src));
        }
        // BLR: SIVI-SM's waveform recipe per layer (N 100, width 100, critic 256 with lr 3e-3, StepLR every 3000, TransTrick 1.004);
        // small initial layer noise because the posterior sds are 0.2–0.8.
        out.add(new Preset("hsivi-lr-waveform", "hsivi", "lr-waveform", 20000,
                Options.of("objective", "sm", "schedule", "joint", "layers", "4", "hidden", "100", "batch", "100",
                        "lr", "1e-3", "lr_f", "3e-3", "f_hidden", "256", "lr_step", "3000", "lr_gamma", "0.9",
                        "log_sigma_init", "-3", "log_sigma_min", "-6", "beta_schedule", "linear", "trans_c", "1.004", "trans_epoch", "100"),
                "ours (no reference HSIVI config for BLR exists): SIVI-SM waveform recipe per layer, T = 4, linear beta path"));
        return out;
    }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("hsivi",
            "hierarchical SIVI (Yu et al. 2023): layered conditionals trained on an annealing path, per-layer SIVI bound (lb) or score matching (sm)",
            options(), presets(), Hsivi::new);

    /** β_0..β_T of the named schedule (β_0 = 1, β_T = 0). */
    public static double[] betas(String schedule, int layers, double betaMin) {
        double[] b = new double[layers + 1];
        switch (schedule) {
            case "linear" -> { for (int t = 0; t <= layers; t++) b[t] = 1 - (double) t / layers; }
            case "geometric" -> {
                if (!(betaMin > 0 && betaMin < 1)) throw new IllegalArgumentException("hsivi: beta_min must be in (0, 1), got " + betaMin);
                for (int t = 0; t < layers; t++) b[t] = layers == 1 ? 1 : Math.pow(betaMin, (double) t / (layers - 1));
                b[layers] = 0;
            }
            default -> throw new IllegalArgumentException("hsivi: beta_schedule must be linear or geometric, got " + schedule);
        }
        b[0] = 1;
        b[layers] = 0;
        return b;
    }

    record Config(boolean lb, String schedule, boolean randomLayer, int layerIterations, int batch, int k, int ftimes, double[] betas,
                  double baseMean, double baseStd, double transC, int transEpoch) {
        /** The TransTrick weight ψ_t = c^(−(epoch−1)) of SIVI-SM (0 when off). */
        double psi(int iteration) { return transC > 0 ? Math.pow(transC, -(double) (iteration / transEpoch)) : 0; }
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        String objective = o.getString("objective", "sm");
        if (!objective.equals("sm") && !objective.equals("lb")) throw new IllegalArgumentException("hsivi: objective must be sm or lb, got " + objective);
        String schedule = o.getString("schedule", "joint");
        if (!schedule.equals("joint") && !schedule.equals("layerwise")) throw new IllegalArgumentException("hsivi: schedule must be joint or layerwise, got " + schedule);
        String jl = o.getString("joint_layers", "all");
        if (!jl.equals("all") && !jl.equals("random")) throw new IllegalArgumentException("hsivi: joint_layers must be all or random, got " + jl);
        int layers = o.getInt("layers", 4);
        int hidden = o.getInt("hidden", 50);
        Activation act = Activation.parse(o.getString("activation", "relu"));
        boolean residual = o.getBool("residual", true);
        double baseMean = o.getDouble("base_mean", 0), baseStd = o.getDouble("base_std", 1);
        double[] betas = betas(o.getString("beta_schedule", "linear"), layers, o.getDouble("beta_min", 0.01));
        int batch = o.getInt("batch", 200);
        int k = objective.equals("lb") ? o.getInt("k", 50) : 0;
        if (batch < 2) throw new IllegalArgumentException("hsivi: batch must be >= 2, got " + batch);
        if (objective.equals("lb") && k < 1) throw new IllegalArgumentException("hsivi: k must be >= 1 for objective=lb, got " + k);
        int layerIts = o.getInt("layer_iterations", 1000);
        if (layerIts < 1) throw new IllegalArgumentException("hsivi: layer_iterations must be >= 1");
        double lr = o.getDouble("lr", 1e-3), lrSigma = o.getDouble("lr_sigma", lr), gamma = o.getDouble("lr_gamma", 0.9);
        int step = o.getInt("lr_step", 1000);
        int fHidden = 0, ftimes = 0, transEpoch = 100;
        double lrF = 0, transC = 0;
        if (!objective.equals("lb")) {
            fHidden = o.getInt("f_hidden", 128);
            lrF = o.getDouble("lr_f", 2e-3);
            ftimes = o.getInt("ftimes", 1);
            if (ftimes < 1) throw new IllegalArgumentException("hsivi: ftimes must be >= 1, got " + ftimes);
            transC = o.getDouble("trans_c", 0);
            transEpoch = o.getInt("trans_epoch", 100);
            if (transC < 0 || transEpoch < 1) throw new IllegalArgumentException("hsivi: trans_c must be >= 0 (0 = off) and trans_epoch >= 1");
        }
        TrainState state = new TrainState();
        int d = target.dim();
        HierarchicalChain q = HierarchicalChain.create(state.params(), "q", d, layers, hidden, act, residual, baseMean, baseStd,
                o.getDouble("log_sigma_init", -1), o.getDouble("log_sigma_min", -6), rng, dtype);
        List<Mlp> critics = new ArrayList<>();
        for (int t = 1; t <= layers; t++) {
            state.addGroup("mean" + t, List.of(q.layerPrefix(t) + "mu."), Adam.reference(), LrSchedule.step(lr, gamma, step), 0);
            state.addGroup("sigma" + t, List.of(q.layerPrefix(t) + "log_sigma"), Adam.reference(), LrSchedule.step(lrSigma, gamma, step), 0);
            if (!objective.equals("lb")) {
                critics.add(Mlp.create(state.params(), "f" + t, new int[] {d, fHidden, fHidden, d}, Activation.RELU, rng, dtype));
                state.addGroup("critic" + t, List.of("f" + t + "."), Adam.reference(), LrSchedule.step(lrF, gamma, step), 0);
            }
        }
        Config cfg = new Config(objective.equals("lb"), schedule, jl.equals("random"), layerIts, batch, k, ftimes, betas, baseMean, baseStd, transC, transEpoch);
        return new HsiviSession(state, q, critics, cfg);
    }

    /** The auxiliary target p_t of the annealing path. */
    static Target auxiliary(Target t, Config c, int level) {
        return new AnnealedTarget(t, c.betas()[level], c.baseMean(), c.baseStd());
    }

    /**
     * HSIVI-LB loss of layer t: mean_n [log ĥ_K(x_{t−1}^n) − log p_{t−1}(x_{t−1}^n)], inputs {@code xt}
     * (own mixing draws ψ₀) and {@code extra} (K shared mixing draws), both constants.
     */
    public static Var lbLoss(HierarchicalChain q, Params.Bound p, int t, Var xt, Var extra, Target aux, Rng rng) {
        Family.Draw dr = q.layer(p, t, xt, rng);
        Var ls = q.logSigma(p, t);
        int n = xt.dim(0), k = extra.dim(0);
        Var own = Gaussians.diagLogPdf(dr.x(), dr.mu(), ls);
        Var shared = addScalar(lseMixture(dr.x(), q.mean(p, t, extra), ls), Math.log(k));
        Var logH = addScalar(logSumExp(concat(1, reshape(shared, n, 1), reshape(own, n, 1)), 1, false), -Math.log(k + 1));
        return mean(sub(logH, Estimators.logP(aux, dr.x())));
    }

    private record HsiviSession(TrainState state, HierarchicalChain q, List<Mlp> critics, Config c) implements Session {

        @Override public StepInfo step(Target tgt, int iteration, Rng rng) {
            int layers = q.layers();
            List<Integer> active = new ArrayList<>();
            Map<String, Double> extras = new LinkedHashMap<>();
            if (c.schedule().equals("layerwise")) active.add(layers - Math.min(layers - 1, iteration / c.layerIterations()));
            else if (c.randomLayer()) active.add(1 + rng.nextInt(layers));
            else for (int t = layers; t >= 1; t--) active.add(t);
            if (active.size() == 1) extras.put("layer", (double) active.get(0));
            int lowest = active.get(active.size() - 1);

            // inputs x_t (and K extra for LB) from the current upper layers, no gradient
            Var[] xs = chain(c.batch(), lowest, rng);
            Var[] extra = c.lb() ? chain(c.k(), lowest, rng) : null;

            Params.Bound p = state.params().bind(name -> { for (int t : active) if (name.startsWith(q.layerPrefix(t))) return true; return false; });
            Var total = null;
            for (int t : active) {
                Target aux = auxiliary(tgt, c, t - 1);
                Var loss = c.lb() ? lbLoss(q, p, t, xs[t], extra[t], aux, rng) : smPhiLoss(p, t, xs[t], aux, rng, c.psi(iteration));
                total = total == null ? loss : add(total, loss);
            }
            Map<String, Tensor> g = p.gradients(total);
            for (int t : active) {
                state.apply("mean" + t, Estimators.filter(g, q.layerPrefix(t) + "mu."), iteration);
                state.apply("sigma" + t, Estimators.filter(g, q.layerPrefix(t) + "log_sigma"), iteration);
            }
            if (!c.lb()) {
                double criticLoss = 0;
                for (int t : active) {
                    Target aux = auxiliary(tgt, c, t - 1);
                    for (int r = 0; r < c.ftimes(); r++) {
                        Var xt = xs[t];
                        Family.Draw b = GradMode.noGrad(() -> q.layer(state.params().bind(n -> false), t, xt, rng));
                        Family.Draw bc = new Family.Draw(constant(b.x().value()), b.z(), b.xi(), b.mu(), constant(b.sigma().value()));
                        Params.Bound pf = state.bind("critic" + t);
                        Var spb = constant(aux.scoreValue(bc.x().value()));
                        Var gb = SiviSm.critic(critics.get(t - 1), pf, bc.x(), spb, c.psi(iteration));
                        Var lossF = neg(SiviSm.objective(gb, spb, bc));
                        state.apply("critic" + t, pf.gradients(lossF), iteration);
                        if (r == c.ftimes() - 1) criticLoss += lossF.item();
                    }
                }
                extras.put("critic_loss", criticLoss);
            }
            return new StepInfo(total.item(), extras);
        }

        /** SIVI-SM φ-loss of layer t (critic frozen: its parameters are not bound in p), TransTrick weight psi. */
        private Var smPhiLoss(Params.Bound p, int t, Var xt, Target aux, Rng rng, double psi) {
            Family.Draw dr = q.layer(p, t, xt, rng);
            Var sp = aux.score(dr.x());
            return SiviSm.objective(SiviSm.critic(critics.get(t - 1), p, dr.x(), sp, psi), sp, dr);
        }

        /** x_T..x_lowest simulated with the current parameters (index t holds x_t), constants. */
        private Var[] chain(int n, int lowest, Rng rng) {
            return GradMode.noGrad(() -> {
                Params.Bound pc = state.params().bind(name -> false);
                Var[] xs = new Var[q.layers() + 1];
                xs[q.layers()] = q.sampleBase(rng, n);
                for (int t = q.layers(); t > lowest; t--) xs[t - 1] = constant(q.layer(pc, t, xs[t], rng).x().value());
                return xs;
            });
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<sivi.fit.DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(SemiImplicitBound.withMixingProposal(q, state.evaluationParams(), rng, n, SemiImplicitBound.K));
        }
    }
}
