package sivi.methods;

import java.util.List;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.FullRankGaussian;
import sivi.families.MeanFieldGaussian;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Reparameterised Gaussian VI with the analytic entropy (ADVI: Kucukelbir, Tran, Ranganath,
 * Gelman &amp; Blei, JMLR 2017, eq. 6 and §2.4; docs/algorithms.md#advi):
 * ELBO = E_q[log p(x)] + H(q), estimated with N reparameterised draws,
 * loss = −(1/N) Σ_n log p(μ + L ξ_n) − H(q). Mean-field ("advi": L = diag σ) or full-rank
 * ("fullrank": L lower triangular). Only the target score is needed.
 * Options: batch (N, default 100), lr (1e-2), lr_gamma/lr_step/lr_period, log_sigma_init (0).
 */
public final class Advi implements Method {
    private final boolean fullRank;

    private Advi(boolean fullRank) { this.fullRank = fullRank; }

    public static Advi meanField() { return new Advi(false); }

    public static Advi fullRank() { return new Advi(true); }

    @Override public String name() { return fullRank ? "fullrank" : "advi"; }

    private static List<OptionSpec> options() {
        return Estimators.concat(List.of(
                OptionSpec.integer("batch", 100, "draws per iteration").min(1),
                OptionSpec.real("log_sigma_init", 0.0, "initial log σ of every coordinate"),
                Estimators.lr("lr", 1e-2, "Adam learning rate")),
                Estimators.SCHEDULE);
    }

    public static final MethodDescriptor MEAN_FIELD = new MethodDescriptor("advi",
            "mean-field Gaussian VI (ADVI, Kucukelbir et al. 2017): reparameterised ELBO, analytic entropy", options(), Advi::meanField);
    public static final MethodDescriptor FULL_RANK = new MethodDescriptor("fullrank",
            "full-rank Gaussian VI: reparameterised ELBO, analytic entropy", options(), Advi::fullRank);

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int batch = o.getInt("batch", 100);
        if (batch < 1) throw new IllegalArgumentException(name() + ": batch must be >= 1, got " + batch);
        double ls0 = o.getDouble("log_sigma_init", 0);
        TrainState state = new TrainState();
        Family q = fullRank ? FullRankGaussian.create(state.params(), "q", target.dim(), ls0, dtype)
                : MeanFieldGaussian.create(state.params(), "q", target.dim(), ls0, dtype);
        state.addGroup("q", List.of("q."), Adam.reference(), Estimators.schedule(o, "lr", 1e-2), 0);
        return new AdviSession(state, q, batch);
    }

    private record AdviSession(TrainState state, Family q, int batch) implements Session {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            Params.Bound p = state.bind();
            Var x = q.sample(p, rng, batch).x();
            Var loss = neg(add(mean(Estimators.logP(t, x)), entropy(p)));
            state.apply("q", p.gradients(loss), iteration);
            return StepInfo.of(loss.item());
        }

        private Var entropy(Params.Bound p) {
            return q instanceof FullRankGaussian f ? f.entropy(p) : ((MeanFieldGaussian) q).entropy(p);
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<double[]> logDensity(Tensor x) { return Estimators.logQ(q, state.evaluationParams(), x); }
    }
}
