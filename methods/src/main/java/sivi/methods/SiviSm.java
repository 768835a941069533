package sivi.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.SemiImplicitGaussian;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Semi-implicit VI via score matching (Yu &amp; Zhang, ICLR 2023, arXiv 2308.10014; docs/algorithms.md#sivi-sm).
 * The Fisher divergence E_q||s_p − ∇log q||² is written as the minimax problem
 * <pre>  min_φ max_ψ E_{z,ξ} [ 2 g(x)ᵀ (s_p(x) + ξ/σ) − ||g(x)||² ],  x = μ_φ(z) + σ ⊙ ξ, </pre>
 * whose inner optimum is g* = s_p − ∇log q_φ (the value is then the Fisher divergence). One
 * iteration:
 * <ol>
 *   <li>φ-step: loss_φ = (1/N) Σ_n g_nᵀ(2 s_p(x_n) + 2ξ_n/σ − g_n), minimised over the family only.
 *       The critic's parameters are frozen (bound as constants), but the gradient flows through
 *       its input x, through s_p(x) (the target's score op, whose backward is the HVP of log p)
 *       and through ξ/σ into σ.</li>
 *   <li>{@code ftimes} critic steps, each on a fresh batch: loss_f = −(same expression) minimised
 *       over ψ, with ξ/σ, x and s_p(x) all constants (the family is not bound: as the LR scripts).</li>
 * </ol>
 * The critic is the Fnet f_ψ: Linear(d, f) → ReLU → Linear(f, f) → ReLU → Linear(f, d)
 * ({@code f_hidden}). {@code trans_c = c > 0} switches on the "TransTrick" parameterisation
 * g = f_ψ(x) + ψ_t·s_p(x), ψ_t = c^(−(epoch−1)), epoch = ⌊t / trans_epoch⌋ + 1 (100 iterations per
 * epoch in the reference). {@code anneal=f} multiplies s_p by min(1, 0.1 + t/(f·anneal_total)).
 * {@code f_init=k}: k critic steps before the first iteration (the BNN script's critic warm start).
 * The critic's StepLR counts critic updates ({@code lr_step_f}, default {@code lr_step}), as the scripts step
 * scheduler_f after each; with {@code ftimes} = 1 that is the iteration count.
 * Objective reported: loss_φ (the Fisher-divergence estimate once the critic has converged);
 * extras "critic_loss" and "g_norm2" = mean ||g||² (monitor it: a critic far from its optimum shows there).
 */
public final class SiviSm implements Method {
    @Override public String name() { return "sivi-sm"; }

    /** The critic's options, shared with HSIVI-SM. */
    static final List<OptionSpec> CRITIC = List.of(
            OptionSpec.integer("f_hidden", 128, "width of the critic f's two hidden layers").min(1),
            Estimators.lr("lr_f", 2e-3, "Adam learning rate of the critic"),
            OptionSpec.integer("ftimes", 1, "critic updates per iteration").min(1),
            OptionSpec.real("trans_c", 0.0, "TransTrick: g = f(x) + c^(−⌊it/trans_epoch⌋)·s_p(x); 0 = off").min(0),
            OptionSpec.integer("trans_epoch", 100, "TransTrick epoch length").unit("iterations").min(1));

    private static List<OptionSpec> options() {
        return Estimators.concat(Simi.Recipe.options(-6),
                CRITIC, List.of(OptionSpec.integer("lr_step_f", null, "StepLR period of the critic, counted in critic updates as the reference scripts' scheduler_f.step() after each (default: lr_step; with ftimes F the critic's rate then decays F times as often per iteration as the family's)").unit("critic updates").min(1),
                        OptionSpec.integer("f_init", 0, "critic warm-start steps before training (fnet_ini_num of the BNN script): Adam lr 1e-3, betas (0.9, 0.99), on the first data batch").unit("iterations").min(0)));
    }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("sivi-sm",
            "SIVI via score matching (Yu & Zhang 2023): Fisher divergence with a critic network", options(), SiviSm::new);

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        Simi.Recipe r = Simi.Recipe.read(o, -6);
        int fHidden = o.getInt("f_hidden", 128);
        double lrF = o.getDouble("lr_f", 2e-3);
        int ftimes = o.getInt("ftimes", 1);
        double transC = o.getDouble("trans_c", 0);
        int transEpoch = o.getInt("trans_epoch", 100);
        if (ftimes < 1) throw new IllegalArgumentException("sivi-sm: ftimes must be >= 1, got " + ftimes);
        if (transC < 0 || transEpoch < 1) throw new IllegalArgumentException("sivi-sm: trans_c must be >= 0 (0 = off) and trans_epoch >= 1");

        TrainState state = new TrainState();
        SemiImplicitGaussian q = r.simiNet(state, target, rng, dtype);
        int d = target.dim();
        Mlp critic = Mlp.create(state.params(), "f", new int[] {d, fHidden, fHidden, d}, Activation.RELU, rng, dtype);
        int lrStepF = o.getInt("lr_step_f", r.lrStep());
        if (lrStepF < 1) throw new IllegalArgumentException("sivi-sm: lr_step_f must be >= 1, got " + lrStepF);
        state.addGroup("critic", List.of("f."), Adam.reference(), LrSchedule.step(lrF, r.lrGamma(), lrStepF), 0);
        warmStartCritic(state, q, critic, target, o.getInt("f_init", 0), r.batch(), transC > 0 ? 1 : 0, rng);
        return new SmSession(state, q, critic, r, ftimes, transC, transEpoch);
    }

    private record SmSession(TrainState state, SemiImplicitGaussian q, Mlp critic, Simi.Recipe recipe,
                             int ftimes, double transC, int transEpoch) implements Session {

        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            int n = recipe.batch();
            double lam = recipe.scoreScale(iteration);
            double psi = transC > 0 ? Math.pow(transC, -(double) (iteration / transEpoch)) : 0;
            int parts = Particles.parts(n);
            if (parts > 1 || Particles.forcedParts > 0) return partitionedStep(t, iteration, rng, n, lam, psi, parts);

            // φ-step: family parameters are leaves, the critic's are constants
            Params.Bound p = state.params().bind(name -> name.startsWith("q."));
            Var lossPhi = phiLoss(q, critic, p, t, rng, n, lam, psi);
            recipe.applyFamily(state, p.gradients(lossPhi), iteration);

            // critic steps: only ψ is bound; x, ξ/σ and s_p(x) are constants
            double criticLoss = 0, gNorm2 = 0;
            for (int k = 0; k < ftimes; k++) {
                Family.Draw b = GradMode.noGrad(() -> q.sample(state.params().bind(), rng, n));
                Params.Bound pf = state.bind("critic");
                Var spb = constant(scaled(t.score(b.x()), lam).value());
                Var gb = SiviSm.critic(critic, pf, b.x(), spb, psi);
                Var lossF = neg(objective(gb, spb, b));
                state.apply("critic", pf.gradients(lossF), iteration, criticUpdate(iteration, k));
                criticLoss = lossF.item();
                gNorm2 = GradMode.noGrad(() -> sum(square(gb)).item()) / n;
            }
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("critic_loss", criticLoss);
            extras.put("g_norm2", gNorm2);
            return new StepInfo(lossPhi.item(), extras);
        }

        /**
         * The same step with the batch split into one part per thread for the whole step (docs/results/performance-session9.md):
         * each part draws its own particles from its own stream, builds its own graph and returns its share of the
         * gradient; the shares are summed in part order. Both losses are means over particles, so the sum of the
         * parts' (n_k/n)-weighted losses is the full batch's loss.
         */
        private StepInfo partitionedStep(Target t, int iteration, Rng rng, int n, double lam, double psi, int parts) {
            Rng[] streams = Particles.streams(rng, parts);
            Particles.Shares phi = Particles.run(parts, n, (k, nk) -> {
                Params.Bound p = state.params().bind(name -> name.startsWith("q."));
                Var loss = scale(phiLoss(q, critic, p, t, streams[k], nk, lam, psi), (double) nk / n);
                return new Particles.Share(p.gradients(loss), loss.item(), 0);
            });
            recipe.applyFamily(state, phi.gradients(), iteration);

            Particles.Shares f = null;
            for (int step = 0; step < ftimes; step++) {
                Rng[] criticStreams = Particles.streams(rng, parts);
                f = Particles.run(parts, n, (k, nk) -> {
                    Family.Draw b = GradMode.noGrad(() -> q.sample(state.params().bind(), criticStreams[k], nk));
                    Params.Bound pf = state.bind("critic");
                    Var spb = constant(scaled(t.score(b.x()), lam).value());
                    Var gb = SiviSm.critic(critic, pf, b.x(), spb, psi);
                    Var lossF = scale(neg(objective(gb, spb, b)), (double) nk / n);
                    double g2 = GradMode.noGrad(() -> sum(square(gb)).item());
                    return new Particles.Share(pf.gradients(lossF), lossF.item(), g2);
                });
                state.apply("critic", f.gradients(), iteration, criticUpdate(iteration, step));
            }
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("critic_loss", f.loss());
            extras.put("g_norm2", f.extra() / n);
            return new StepInfo(phi.loss(), extras);
        }

        /** The critic's 0-based update count, which its StepLR counts (the scripts step it after each critic update). */
        private int criticUpdate(int iteration, int k) { return Math.toIntExact((long) iteration * ftimes + k); }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<sivi.fit.DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(SemiImplicitBound.withMixingProposal(q, state.evaluationParams(), rng, n, SemiImplicitBound.K));
        }
    }

    /**
     * The BNN script's critic warm start: {@code steps} Adam steps (lr 1e-3, betas (0.9, 0.99), its own optimiser) of the
     * critic loss on fresh draws of the (warm-started) family, with one fixed data batch and ψ = 1 with the TransTrick
     * (else 0). Nothing when {@code steps = 0}.
     */
    private static void warmStartCritic(TrainState state, SemiImplicitGaussian q, Mlp critic, Target target, int steps, int n, double psi, Rng rng) {
        if (steps == 0) return;
        Target t = target.batch(0, 0);
        Adam adam = Adam.reference();
        for (int it = 0; it < steps; it++) {
            Family.Draw b = GradMode.noGrad(() -> q.sample(state.params().bind(), rng, n));
            Params.Bound pf = state.bind("critic");
            Var spb = constant(t.score(b.x()).value());
            Var lossF = neg(objective(critic(critic, pf, b.x(), spb, psi), spb, b));
            adam.step(state.params(), Simi.requireFinite(pf.gradients(lossF), "critic warm start step " + (it + 1) + " of " + steps, lossF, ""), 1e-3);
        }
    }

    /**
     * The φ-step loss on a fresh batch drawn from {@code rng}: (1/N) Σ_n g_nᵀ(2 λ s_p(x_n) + 2ξ_n/σ − g_n)
     * with g = f_ψ(x) (+ ψ_t·λ s_p(x)); differentiable in whatever {@code p} binds as leaves.
     */
    static Var phiLoss(SemiImplicitGaussian q, Mlp critic, Params.Bound p, Target t, Rng rng, int n, double lam, double psi) {
        Family.Draw a = q.sample(p, rng, n);
        Var sp = scaled(t.score(a.x()), lam);
        return objective(critic(critic, p, a.x(), sp, psi), sp, a);
    }

    /** g = f_ψ(x) (+ ψ_t·s_p(x) with the TransTrick). */
    static Var critic(Mlp critic, Params.Bound p, Var x, Var sp, double psi) {
        Var f = critic.forward(p, x);
        return psi > 0 ? add(f, scale(sp, psi)) : f;
    }

    /** (1/N) Σ_n g_nᵀ (2(s_p + ξ/σ) − g_n). */
    static Var objective(Var g, Var sp, Family.Draw d) {
        Var diff = add(sp, Simi.negConditionalScore(d));
        return scale(sum(mul(g, sub(scale(diff, 2), g))), 1.0 / g.dim(0));
    }

    private static Var scaled(Var v, double lam) { return lam == 1 ? v : scale(v, lam); }
}
