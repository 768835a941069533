package sivi.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Gaussians;
import sivi.families.ReverseModel;
import sivi.families.SemiImplicit;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Importance-weighted hierarchical VI (Sobolev &amp; Vetrov, NeurIPS 2019; docs/algorithms.md#iwhvi).
 * With ψ₀ the mixing draw that generated x and ψ_1..ψ_K ~ τ_η(ψ | x):
 * <pre>
 *   U_K(x) = log (1/(K+1)) Σ_{k=0}^{K} q(x | ψ_k) q(ψ_k) / τ(ψ_k | x)  ≥  log q(x)      (eq. 7, Theorem 1)
 *   L      = E[ log p(x) − U_K(x) ]  ≤  ELBO                                           (IWHVI ELBO)
 *   L_M,K  = E[ log (1/M) Σ_m exp(log p(x_m) − U_K(x_m)) ]                              (M-IWHVI, eq. 9)
 * </pre>
 * U_K decreases in K; with τ = q(ψ) it is the SIVI average (docs/algorithms.md#sivi) with per-sample draws. φ (the
 * family) and η (τ) are trained jointly: φ maximises L, η minimises U_K (tightens the bound). With
 * {@code dreg=true} (default) η's gradient is the doubly-reparameterised estimator (Tucker et al.
 * 2019, applied to the upper bound as the reference {@code _dreg_tau_gradients}):
 * ∇_η U ≈ Σ_{k≥1} ŵ_k² ∂β_k/∂ψ_k · ∂ψ_k/∂η − ŵ_0 ∇_η log τ(ψ₀ | x), ŵ = softmax(β).
 *
 * <p>Options: batch (draws per step, default 100; a multiple of m), k (10), k_schedule, m (1),
 * dreg (true), tau_hidden ("50,50"), tau_activation (softplus), tau_gate_bias (none: no gate;
 * e.g. −3 starts τ at the prior), lr (1e-3), lr_tau (lr), and the family options of
 * {@link Estimators#semiImplicit} (default family net_sigma).
 */
public final class Iwhvi implements Method {
    @Override public String name() { return "iwhvi"; }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("iwhvi",
            "importance-weighted hierarchical VI (Sobolev & Vetrov 2019): learned reverse model, U_K bound", options(), Iwhvi::new);

    private static List<OptionSpec> options() {
        return Estimators.concat(List.of(
                OptionSpec.integer("batch", 100, "draws per iteration (a multiple of m)").min(1),
                OptionSpec.integer("k", 10, "importance samples K of the bound U_K").min(0),
                OptionSpec.string("k_schedule", "", "piecewise K as it:K,it:K,… (overrides k; empty: constant k)"),
                OptionSpec.integer("m", 1, "draws of x per ψ").min(1),
                OptionSpec.bool("dreg", true, "doubly reparameterised gradient for τ (Tucker et al. 2019)"),
                OptionSpec.list("tau_hidden", "50,50", "hidden widths of the reverse model τ"),
                OptionSpec.choice("tau_activation", "softplus", "activation of τ", "identity", "relu", "tanh", "silu", "softplus", "sigmoid"),
                OptionSpec.string("tau_gate_bias", "none", "none (no gate) or a number: the initial gate bias (e.g. −3 starts τ at the prior)")),
                Estimators.familyOptions("net_sigma", "simi", "net_sigma"),
                List.of(Estimators.lr("lr", 1e-3, "Adam learning rate of q"),
                Estimators.lr("lr_tau", null, "Adam learning rate of τ (default: lr)")),
                Estimators.SCHEDULE);
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int batch = o.getInt("batch", 100), k = o.getInt("k", 10), m = o.getInt("m", 1);
        Estimators.IntSchedule ks = Estimators.IntSchedule.parse("k_schedule", o.getString("k_schedule", ""), k);
        boolean dreg = o.getBool("dreg", true);
        int[] tauHidden = Estimators.ints("tau_hidden", o.getString("tau_hidden", "50,50"));
        Activation tauAct = Activation.parse(o.getString("tau_activation", "softplus"));
        String gate = o.getString("tau_gate_bias", "none");
        double gateBias;
        try { gateBias = gate.equals("none") ? Double.NaN : Double.parseDouble(gate); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("option tau_gate_bias=" + gate + " is neither a number nor none"); }
        if (batch < 1 || k < 0 || m < 1 || batch % m != 0) throw new IllegalArgumentException("iwhvi: need batch >= 1, k >= 0, m >= 1 and batch a multiple of m (got " + batch + ", " + k + ", " + m + ")");
        TrainState state = new TrainState();
        SemiImplicit q = Estimators.semiImplicit(o, state.params(), target.dim(), rng, dtype, "net_sigma");
        ReverseModel tau = ReverseModel.create(state.params(), "tau", target.dim(), q.mixingDim(), tauHidden, tauAct, gateBias, -10, rng, dtype);
        state.addGroup("q", List.of("q."), Adam.reference(), Estimators.schedule(o, "lr", 1e-3), 0);
        double lr = o.getDouble("lr", 1e-3);
        state.addGroup("tau", List.of("tau."), Adam.reference(), Estimators.schedule(o, "lr_tau", lr), 0);
        return new IwhviSession(state, q, tau, batch, m, ks, dreg);
    }

    /**
     * The bound U_K per row and, when asked, the DReG surrogate for τ.
     *
     * @param tauLive   x ↦ τ(·|x) with τ's parameters as leaves; null: τ = the prior q(ψ) (SIVI)
     * @param tauFrozen the same τ with its parameters as constants (for DReG); null: no surrogate
     * @param x         n×d draws, psi0 their generating mixing draws (n×dψ)
     * @return {U (n), β ((K+1)×n), dregSurrogate (n) or null}
     */
    public static Var[] upperBound(SemiImplicit q, Params.Bound pq, Function<Var, SemiImplicit.Conditional> tauLive,
                                   Function<Var, SemiImplicit.Conditional> tauFrozen, Var x, Var psi0, int k, Rng rng) {
        int n = x.dim(0);
        SemiImplicit.Conditional c = tauLive == null ? null : tauLive.apply(x);
        Var beta0 = q.conditionalLogDensity(pq, x, psi0);
        if (c != null) beta0 = sub(add(beta0, q.mixingLogDensity(psi0)), ReverseModel.logDensity(c, psi0));
        if (k == 0) return new Var[] {beta0, reshape(beta0, 1, n), null};
        Var xr = Gaussians.repeatRows(x, k);
        SemiImplicit.Conditional r = c == null ? null : ReverseModel.repeat(c, k);
        Var psi = r == null ? q.sampleMixing(rng, k * n) : add(r.mu(), mul(r.sigma(), constant(rng.normal(x.dtype(), k * n, psi0.dim(1)))));
        Var logJoint = q.conditionalLogDensity(pq, xr, psi);
        if (r != null) logJoint = add(logJoint, q.mixingLogDensity(psi));
        Var betaK = r == null ? logJoint : sub(logJoint, ReverseModel.logDensity(r, psi));
        Var beta = concat(0, reshape(beta0, 1, n), reshape(betaK, k, n));
        Var u = addScalar(logSumExp(beta, 0, false), -Math.log(k + 1));
        Var dreg = null;
        if (c != null && tauFrozen != null) {
            // ŵ = softmax_k β (constants); k ≥ 1 terms: ŵ_k² · β_k with τ's density parameters frozen,
            // so η enters only through the path ψ_k = μ_η + σ_η ε; k = 0: ŵ_0 · β_0 (direct η only).
            Tensor w = GradMode.noGrad(() -> { Var bc = constant(beta.value()); return exp(sub(bc, logSumExp(bc, 0, true))).value(); });
            Var wK = constant(w.slice(0, 1, k + 1).contiguous());
            Var w0 = constant(w.slice(0, 0, 1).contiguous().reshape(n));
            SemiImplicit.Conditional cf = ReverseModel.repeat(tauFrozen.apply(x.detach()), k);
            Var betaKFrozen = reshape(sub(logJoint, ReverseModel.logDensity(cf, psi)), k, n);
            dreg = add(sum(mul(square(wK), betaKFrozen), 0, false), mul(w0, beta0));
        }
        return new Var[] {u, beta, dreg};
    }

    /**
     * The IWAE-style lower bound on log q(x) from the same draws (IWHVI §3, for diagnostics):
     * log (1/K) Σ_{k=1}^{K} q(x | ψ_k) q(ψ_k) / τ(ψ_k | x), i.e. β's rows 1..K without the generating
     * ψ₀. Increases in K towards log q(x). beta is the (K+1)×n matrix of {@link #upperBound}; K ≥ 1.
     */
    public static Var lowerBound(Var beta) {
        int k = beta.dim(0) - 1;
        if (k < 1) throw new IllegalArgumentException("the lower bound needs K >= 1 draws from tau");
        return addScalar(logSumExp(slice(beta, 0, 1, k + 1), 0, false), -Math.log(k));
    }

    private record IwhviSession(TrainState state, SemiImplicit q, ReverseModel tau, int batch, int m,
                                Estimators.IntSchedule ks, boolean dreg) implements Session {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            int k = ks.at(iteration);
            Params.Bound p = state.bind(), frozen = state.params().bind(name -> false);
            var d = q.sample(p, rng, batch);
            Var[] b = upperBound(q, p, x -> tau.conditional(p, x), dreg ? x -> tau.conditional(frozen, x) : null, d.x(), d.z(), k, rng);
            Var alpha = sub(Estimators.logP(t, d.x()), b[0]);      // log p(x) − U_K(x), per row
            Var bound, tauWeights = null;
            if (m == 1) bound = mean(alpha);
            else {
                Var a = reshape(alpha, batch / m, m);
                Var lse = logSumExp(a, 1, true);
                bound = mean(addScalar(lse, -Math.log(m)));
                tauWeights = constant(exp(sub(a, lse)).value().reshape(batch));   // softmax over m (constants)
            }
            Var loss = neg(bound);
            Map<String, Tensor> grads = p.gradients(loss);
            state.apply("q", Estimators.filter(grads, "q."), iteration);
            if (dreg && b[2] != null) {
                // ∂(−L)/∂η = Σ_m v_m ∂U_m/∂η: the DReG surrogate weighted by the outer softmax v.
                Var s = tauWeights == null ? mean(b[2]) : scale(sum(mul(tauWeights, b[2])), (double) m / batch);
                state.apply("tau", Estimators.filter(p.gradients(s), "tau."), iteration);
            } else state.apply("tau", Estimators.filter(grads, "tau."), iteration);
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("k", (double) k);
            extras.put("upper_bound_log_q", mean(b[0]).item());
            return new StepInfo(loss.item(), extras);
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<sivi.fit.DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(SemiImplicitBound.withReverseModel(q, tau, state.evaluationParams(), rng, n, SemiImplicitBound.K_REVERSE));
        }
    }
}
