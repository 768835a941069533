package sivi.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.SemiImplicitGaussian;
import sivi.fit.Options;
import sivi.fit.OptionSpec;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.targets.WarmStart;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Estimator plumbing shared by the score-based methods (SIVI-SM, KSIVI, KPG): the "SIMINet"
 * recipe options of the reference code (docs/algorithms.md#simi: Adam (0.9, 0.99), StepLR γ every
 * {@code lr_step} iterations), score annealing, and the median-bandwidth helper.
 */
final class Simi {
    private Simi() {}

    /**
     * The SIMINet options. {@code logvarMin} defaults differ per paper (SIVI-SM −6, KSIVI/KPG −20), so
     * the caller passes its default.
     */
    record Recipe(int batch, int zdim, int hidden, double lr, double lrLogvar, int lrStep, double lrGamma,
                  double logvarInit, double logvarMin, double anneal, int annealTotal,
                  double adamBeta2, double ema, double clip, int pretrain, double pretrainLr, String pretrainRows) {

        /** The options {@link #read} reads; {@code logvar_min}'s default differs per paper. */
        static List<OptionSpec> options(double logvarMinDefault) {
            return List.of(
                    OptionSpec.integer("batch", 500, "draws per iteration (N)").min(2),
                    OptionSpec.integer("zdim", 3, "dimension of the mixing noise ε").min(1),
                    OptionSpec.integer("hidden", 50, "width of the conditional network's hidden layers").min(1),
                    Estimators.lr("lr", 1e-3, "Adam learning rate of the network"),
                    Estimators.lr("lr_logvar", null, "Adam learning rate of log σ² (default: lr)"),
                    OptionSpec.integer("lr_step", 1000, "StepLR period").unit("iterations").min(1),
                    OptionSpec.real("lr_gamma", 0.9, "StepLR decay factor"),
                    OptionSpec.real("logvar_init", 0.0, "initial log σ²"),
                    OptionSpec.real("logvar_min", logvarMinDefault, "lower clamp of log σ²"),
                    OptionSpec.real("anneal", 0.0, "score annealing: s_p scaled by min(1, 0.1 + t/(anneal·anneal_total)); 0 = off").min(0),
                    OptionSpec.integer("anneal_total", 50000, "the T_total of the annealing").unit("iterations").min(1),
                    OptionSpec.real("adam_beta2", 0.99, "Adam β₂ of the family (0.99: the 2-D and SIVI-SM LR scripts; 0.999, torch's default: KSIVI's LR and BNN scripts)").min(0),
                    OptionSpec.real("ema", 0.0, "decay of an exponential moving average of the family's parameters, which then gives the draws; 0 = off").min(0),
                    OptionSpec.real("clip", 0.0, "clip the family gradient's global L2 norm (mean and log σ² together) at this value; 0 = off").min(0),
                    OptionSpec.integer("pretrain", 0, "warm-start steps fitting the mean prediction to data before training (targets with a warm-start loss: bnn-*)").unit("iterations").min(0),
                    Estimators.lr("pretrain_lr", 1e-2, "Adam learning rate of the warm start"),
                    OptionSpec.choice("pretrain_rows", "dev", "rows the warm start fits: dev (KSIVI's BNN script) or train (SIVI-SM's: 100-row blocks in order)", "dev", "train"));
        }

        static Recipe read(Options o, double logvarMinDefault) {
            int batch = o.getInt("batch", 500);
            if (batch < 2) throw new IllegalArgumentException("batch must be >= 2, got " + batch);
            double lr = o.getDouble("lr", 1e-3);
            double anneal = o.getDouble("anneal", 0);
            if (anneal < 0) throw new IllegalArgumentException("anneal must be >= 0 (0 = off), got " + anneal);
            double beta2 = o.getDouble("adam_beta2", 0.99), ema = o.getDouble("ema", 0), clip = o.getDouble("clip", 0);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("adam_beta2 must be in [0, 1), got " + beta2);
            if (!(ema >= 0 && ema < 1)) throw new IllegalArgumentException("ema must be in [0, 1) (0 = off), got " + ema);
            if (!(clip >= 0) || Double.isInfinite(clip)) throw new IllegalArgumentException("clip must be a finite number >= 0 (0 = off), got " + clip);
            int pretrain = o.getInt("pretrain", 0);
            if (pretrain < 0) throw new IllegalArgumentException("pretrain must be >= 0, got " + pretrain);
            return new Recipe(batch, o.getInt("zdim", 3), o.getInt("hidden", 50), lr, o.getDouble("lr_logvar", lr),
                    o.getInt("lr_step", 1000), o.getDouble("lr_gamma", 0.9), o.getDouble("logvar_init", 0),
                    o.getDouble("logvar_min", logvarMinDefault), anneal, o.getInt("anneal_total", 50000),
                    beta2, ema, clip, pretrain, o.getDouble("pretrain_lr", 1e-2), o.getString("pretrain_rows", "dev"));
        }

        /**
         * Score annealing of the multimodal recipes: s_p is multiplied by
         * min(1, 0.1 + t/(anneal·T_total)) (docs/algorithms.md#simi); 1 when {@code anneal = 0}.
         */
        double scoreScale(int iteration) { return anneal > 0 ? Math.min(1, 0.1 + iteration / (anneal * annealTotal)) : 1; }

        /** Groups "mean" (prefix {@code meanPrefix}) and "logvar" with their own Adam and StepLR. */
        void addFamilyGroups(TrainState state, String meanPrefix, String logvarPrefix) {
            state.addGroup("mean", List.of(meanPrefix), familyAdam(), LrSchedule.step(lr, lrGamma, lrStep), 0);
            state.addGroup("logvar", List.of(logvarPrefix), familyAdam(), LrSchedule.step(lrLogvar, lrGamma, lrStep), 0);
            if (ema > 0) state.enableEma(ema);
        }

        /** Adam(ref) with the recipe's β₂ (Adam.reference() is the β₂ = 0.99 case). */
        private Adam familyAdam() { return new Adam(0.9, adamBeta2, 1e-8, 0, false); }

        /**
         * The warm start of the reference BNN scripts, before the first iteration: {@code pretrain} Adam steps
         * (lr {@code pretrain_lr}, torch's default betas, on the mean network and log σ² alike) on the target's
         * {@link WarmStart} loss of {@code batch} fresh draws. Nothing when {@code pretrain = 0}; a target
         * without a warm-start loss is an error.
         */
        void warmStart(TrainState state, Family q, Target target, Rng rng) {
            if (pretrain == 0) return;
            if (!(target instanceof WarmStart w))
                throw new IllegalArgumentException("pretrain=" + pretrain + ": target " + target.name() + " has no warm-start loss (only the bnn-* targets do)");
            Adam adam = new Adam(0.9, 0.999, 1e-8, 0, false);
            for (int it = 0; it < pretrain; it++) {
                Params.Bound p = state.bind();
                Var loss = w.warmStartLoss(q.sample(p, rng, batch).x(), pretrainRows.equals("train"), it);
                Map<String, Tensor> g = requireFinite(p.gradients(loss), "warm start step " + (it + 1) + " of " + pretrain, loss, "; lower pretrain_lr");
                adam.step(state.params(), g, pretrainLr);
            }
        }

        /** Applies the family's gradients to the groups "mean" and "logvar", clipped together when {@code clip > 0}. */
        void applyFamily(TrainState state, Map<String, Tensor> grads, int iteration) {
            Simi.applyFamily(state, clip > 0 ? sivi.optim.GradClip.byGlobalNorm(grads, clip) : grads, iteration);
        }

        /** The one-layer SIMINet family under prefix "q" with its two groups. */
        SemiImplicitGaussian simiNet(TrainState state, Target target, Rng rng, DType dtype) {
            SemiImplicitGaussian q = SemiImplicitGaussian.create(state.params(), "q", target.dim(), zdim, hidden, logvarInit, logvarMin, rng, dtype);
            addFamilyGroups(state, "q.mu", "q.logvar");
            warmStart(state, q, target, rng);
            return q;
        }
    }

    /** The gradients of a warm-start step, or an error naming the step when any is NaN or infinite. */
    static Map<String, Tensor> requireFinite(Map<String, Tensor> g, String step, Var loss, String hint) {
        if (!Double.isFinite(sivi.optim.GradClip.norm(g)))
            throw new IllegalStateException(step + ": the gradient is not finite (loss " + loss.item() + ")" + hint);
        return g;
    }

    /** Applies the family's gradients to the groups "mean" and "logvar". */
    static void applyFamily(TrainState state, Map<String, Tensor> grads, int iteration) {
        state.apply("mean", Estimators.filter(grads, state.group("mean").prefixes()), iteration);
        state.apply("logvar", Estimators.filter(grads, state.group("logvar").prefixes()), iteration);
    }

    /** −∇_x log q(x | z) = ξ/σ for a Gaussian-conditional draw (the reference code's {@code neg_score_implicit}). */
    static Var negConditionalScore(Family.Draw d) { return div(d.xi(), d.sigma()); }

    /**
     * The median med of all entries of the pairwise squared distances D = sqDist(x, y) as a differentiable scalar,
     * given the value (the backend's selection median of D: lower median, all N·M entries, zero diagonal included
     * when x = y — docs/algorithms.md#kernels) and the first entry (i, j) in row-major order that holds it. Gradient: the
     * same as torch.median's, i.e. to the one selected entry D_ij = ||x_i − y_j||², but evaluated from the two rows
     * directly (O(d)), so no N×M one-hot gradient is materialised. With {@code detach} (or when neither x nor y needs a
     * gradient) it is a constant.
     */
    static Var medianOfSqDist(double med, int i, int j, Var x, Var y, boolean detach) {
        Var m = scalar(x.dtype(), med);
        if (detach || !(x.requiresGrad() || y.requiresGrad())) return m;
        if (i < 0) throw new IllegalStateException("median " + med + " of the pairwise distances: no entry equals it (NaN particles?)");
        Var e = sum(square(sub(slice(x, 0, i, i + 1), slice(y, 0, j, j + 1))));
        // value exactly med (e − e = 0), gradient that of D_ij
        return add(m, sub(e, e.detach()));
    }
}
