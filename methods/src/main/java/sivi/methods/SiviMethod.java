package sivi.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sivi.autodiff.Var;
import sivi.families.Gaussians;
import sivi.families.Family;
import sivi.families.SemiImplicit;
import sivi.families.SemiImplicitFullCov;
import sivi.kernels.Activation;
import sivi.optim.LrSchedule;
import sivi.optim.Sgd;
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
 * Semi-implicit VI with the surrogate ELBO of Yin &amp; Zhou (ICML 2018, eq. 5 / Theorem 1;
 * docs/algorithms.md#sivi):
 * L_K = E[ log p(x) − log ĥ_K(x) ], ĥ_K(x) = (1/(K+1)) ( q(x | ψ₀) + Σ_{k=1}^{K} q(x | ψ̃_k) ),
 * with ψ₀ the mixing draw that generated x (always included: the {@code merge=1} variant of the
 * reference code) and K extra draws ψ̃ shared by the whole batch. L_K ≤ ELBO, non-decreasing in K.
 * The K-term is the fused mixture op: lseMixture(x, μ(ψ̃), log σ(ψ̃)) = log (1/K) Σ_k q(x | ψ̃_k);
 * then log ĥ = logaddexp(that + log K, log q(x | ψ₀)) − log(K+1). Everything is differentiated
 * (x, ψ₀, the extra draws, σ), as in the reference code.
 *
 * <p>Options: batch (N, default 40), k (100), k_schedule ("it:K,…", overrides k; the paper grows K
 * with the iteration), train_sigma (true; false keeps the 2018 toys' fixed σ), lr (1e-3) with
 * lr_gamma/lr_step/lr_period, and the family options of {@link Estimators#semiImplicit}
 * (default family simi). {@code family=full_cov} is the 2018 BLR family {@link SemiImplicitFullCov}
 * (conditional N(ψ, LLᵀ), options zdim, hidden, activation, chol_init 0.2); as in SIVI_LR.py its
 * Cholesky factor is trained by plain SGD with lr_chol (1e-3, same decay as lr) during the first
 * chol_iterations (2000) iterations only, then frozen. Its mixture term is computed in whitened
 * coordinates (L⁻¹x, L⁻¹ψ) with the same fused op and a log|det L| correction.
 */
public final class SiviMethod implements Method {
    @Override public String name() { return "sivi"; }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("sivi",
            "semi-implicit VI (Yin & Zhou 2018): surrogate ELBO with K shared extra mixing draws", options(), SiviMethod::new);

    private static List<OptionSpec> options() {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.integer("batch", 40, "draws per iteration (N)").min(1),
                OptionSpec.integer("k", 100, "extra mixing draws K of the surrogate bound").min(0),
                OptionSpec.string("k_schedule", "", "piecewise K as it:K,it:K,… (overrides k; empty: constant k)"),
                OptionSpec.bool("train_sigma", true, "train σ (false keeps the 2018 toys' fixed σ)")));
        for (OptionSpec s : Estimators.familyOptions("simi", "simi", "net_sigma", "full_cov"))
            // full_cov (the 2018 BLR family) has its own sizes
            o.add(switch (s.key()) {
                case "family" -> OptionSpec.choice("family", "simi", "simi, net_sigma, or full_cov (the 2018 BLR family N(ψ, LLᵀ))", "simi", "net_sigma", "full_cov");
                case "zdim" -> OptionSpec.integer("zdim", null, "dimension of ε (default 3; 20 with family=full_cov)").min(1);
                case "hidden" -> OptionSpec.list("hidden", null, "hidden widths (default 50,50; 100,200,100 with family=full_cov)");
                default -> s;
            });
        o.add(OptionSpec.real("chol_init", 0.2, "initial diagonal of L").onlyWhen("family", "full_cov"));
        o.add(Estimators.lr("lr_chol", 1e-3, "SGD learning rate of L (same decay as lr)").onlyWhen("family", "full_cov"));
        o.add(OptionSpec.integer("chol_iterations", 2000, "L is trained during these first iterations only").unit("iterations").min(0).onlyWhen("family", "full_cov"));
        o.add(Estimators.lr("lr", 1e-3, "Adam learning rate"));
        o.addAll(Estimators.SCHEDULE);
        return o;
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int batch = o.getInt("batch", 40);
        int k = o.getInt("k", 100);
        Estimators.IntSchedule ks = Estimators.IntSchedule.parse("k_schedule", o.getString("k_schedule", ""), k);
        boolean trainSigma = o.getBool("train_sigma", true);
        if (batch < 1 || k < 0) throw new IllegalArgumentException("sivi: need batch >= 1 and k >= 0 (got " + batch + ", " + k + ")");
        TrainState state = new TrainState();
        if (o.getString("family", "simi").equals("full_cov")) {
            SemiImplicitFullCov q = SemiImplicitFullCov.create(state.params(), "q", target.dim(), o.getInt("zdim", 20),
                    Estimators.ints("hidden", o.getString("hidden", "100,200,100")), Activation.parse(o.getString("activation", "relu")),
                    o.getDouble("chol_init", 0.2), rng, dtype);
            state.addGroup("q", List.of("q.mu."), Adam.reference(), Estimators.schedule(o, "lr", 1e-3), 0);
            LrSchedule chol = Estimators.schedule(o, "lr_chol", 1e-3);
            int cholIts = o.getInt("chol_iterations", 2000);
            state.addGroup("chol", List.of("q.chol"), new Sgd(0), it -> it < cholIts ? chol.lr(it) : 0, 0);
            return new SiviSession(state, q, batch, ks, state.params().names());
        }
        SemiImplicit q = Estimators.semiImplicit(o, state.params(), target.dim(), rng, dtype, "simi");
        List<String> trainable = new ArrayList<>();
        for (String n : state.params().names()) if (trainSigma || !n.equals("q.logvar")) trainable.add(n);
        state.addGroup("q", trainable, Adam.reference(), Estimators.schedule(o, "lr", 1e-3), 0);
        return new SiviSession(state, q, batch, ks, trainable);
    }

    /** log ĥ_K for the full-covariance family: the same computation in whitened coordinates. */
    static Var[] logH(SemiImplicitFullCov q, Params.Bound p, Rng rng, int n, int k) {
        Var z = q.sampleMixing(rng, n);
        Var xi = constant(rng.normal(q.dtype(), n, q.dim()));
        Var psi = q.mean(p, z);
        Var l = q.cholesky(p);
        Var x = add(psi, matmul(xi, l, false, true));
        Var logDet = q.logAbsDet(p);
        Var xw = q.whiten(p, x);
        Var zero = constant(sivi.tensor.Tensor.zeros(x.dtype(), 1, q.dim()));
        Var own = sub(Gaussians.diagLogPdf(xw, q.whiten(p, psi), zero), logDet);
        if (k == 0) return new Var[] {x, own};
        Var extra = q.whiten(p, q.mean(p, q.sampleMixing(rng, k)));
        Var shared = sub(addScalar(lseMixture(xw, extra, zero), Math.log(k)), logDet);
        Var both = concat(1, reshape(shared, n, 1), reshape(own, n, 1));
        return new Var[] {x, addScalar(logSumExp(both, 1, false), -Math.log(k + 1))};
    }

    /**
     * The per-row log ĥ_K(x_n) for x drawn here (returned with it). K = 0 gives log q(x | ψ₀) (the
     * loosest bound, L_0 = E log p − E log q(x|ψ₀)).
     */
    static Var[] logH(SemiImplicit q, Params.Bound p, Rng rng, int n, int k) {
        Var z = q.sampleMixing(rng, n);
        Var xi = constant(rng.normal(q.dtype(), n, q.dim()));
        SemiImplicit.Conditional c = q.conditional(p, z);
        Var x = add(c.mu(), mul(c.sigma(), xi));
        Var own = Gaussians.diagLogPdf(x, c.mu(), c.logSigma());
        if (k == 0) return new Var[] {x, own};
        SemiImplicit.Conditional extra = q.conditional(p, q.sampleMixing(rng, k));
        Var shared = addScalar(lseMixture(x, extra.mu(), extra.logSigma()), Math.log(k));   // log Σ_k q(x | ψ̃_k)
        Var both = concat(1, reshape(shared, n, 1), reshape(own, n, 1));
        return new Var[] {x, addScalar(logSumExp(both, 1, false), -Math.log(k + 1))};
    }

    /** The loss −L_K estimate: mean_n [log ĥ_K(x_n) − log p(x_n)]. */
    static Var loss(Family q, Params.Bound p, Target t, Rng rng, int n, int k) {
        Var[] xh = q instanceof SemiImplicitFullCov f ? logH(f, p, rng, n, k) : logH((SemiImplicit) q, p, rng, n, k);
        return mean(sub(xh[1], Estimators.logP(t, xh[0])));
    }

    private record SiviSession(TrainState state, Family q, int batch, Estimators.IntSchedule ks, List<String> trainable) implements Session {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            Params.Bound p = state.params().bind(trainable::contains);
            int k = ks.at(iteration);
            Var loss = loss(q, p, t, rng, batch, k);
            Map<String, Tensor> g = p.gradients(loss);
            if (q instanceof SemiImplicitFullCov) {
                state.apply("q", Estimators.filter(g, "q.mu."), iteration);
                state.apply("chol", Estimators.filter(g, "q.chol"), iteration);
            } else state.apply("q", g, iteration);
            return new StepInfo(loss.item(), Map.of("k", (double) k));
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<sivi.fit.DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(SemiImplicitBound.withMixingProposal(q, state.evaluationParams(), rng, n, SemiImplicitBound.K));
        }
    }
}
