package sivi.methods;

import java.util.ArrayList;
import java.util.List;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.Flow;
import sivi.families.SemiImplicit;
import sivi.families.SemiImplicitGaussian;
import sivi.fit.DensitySession;
import sivi.fit.Method;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.Options;
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
 * Importance-weighted bounds for families with an exact density (docs/algorithms.md#renyi, #iwae, #flow). With
 * log w_k = log p(x_k) − log q(x_k) for K reparameterised draws x_k ~ q per group, and B groups per iteration:
 * <pre>
 *   renyi  L_α = 1/(1−α) · log (1/K) Σ_k w_k^{1−α}          (Li &amp; Turner 2016, eq. 5 with its MC estimate eq. 11)
 *          α → 1: (1/K) Σ_k log w_k (the ELBO);  α = 0: IWAE;  α = −∞: max_k log w_k (VR-max)
 *   iwae   L_K = log (1/K) Σ_k w_k                          (Burda, Grosse &amp; Salakhutdinov 2016, eq. 8)
 *   flow   the ELBO (1/N) Σ_n log w_n of a normalising-flow family (Rezende &amp; Mohamed 2015, eq. 15)
 * </pre>
 * loss = −(1/B) Σ_groups L, gradients by reparameterisation through x_k and log q. iwae with gradient=dreg uses the
 * doubly-reparameterised estimator (Tucker, Lawson, Gu &amp; Maddison 2019, eq. 5): the surrogate
 * Σ_k ŵ_k² · (log p(x_k) − log q_φ̄(x_k)) with ŵ = softmax_k log w as constants and φ̄ the parameters held fixed in
 * q's density, so φ enters only through the path x_k(φ); it needs log q at a given x (Gaussians, realnvp, iaf; not planar).
 * Families: mean_field, full_rank Gaussians and the flows of {@link sivi.families.Flow}; for renyi and iwae also
 * family=semi_implicit ({@link SemiImplicitGaussian}), whose log q(x_k) is replaced by IWHVI's upper bound U(x_k) with
 * the mixing distribution as proposal and {@code inner_k} mixing draws (Sobolev &amp; Vetrov 2019, eq. 7, τ = q(z)):
 * the weights p/exp(U) then give the hierarchical bound, below log Z for α ∈ [0, 1] (IWHVI's M-sample bound at α = 0,
 * smaller for larger α on the same draws) but in no fixed direction for α &lt; 0 (docs/algorithms.md#renyi).
 */
public final class Renyi implements Method {
    private enum Kind { RENYI, IWAE, FLOW }

    private final Kind kind;

    private Renyi(Kind kind) { this.kind = kind; }

    @Override public String name() { return kind.name().toLowerCase(java.util.Locale.ROOT); }

    private static List<OptionSpec> options(Kind kind) {
        List<OptionSpec> o = new ArrayList<>();
        if (kind == Kind.FLOW) o.add(OptionSpec.integer("batch", 100, "draws per iteration").min(1));
        else {
            o.add(OptionSpec.integer("batch", 10, "groups B per iteration (B·K draws)").min(1));
            o.add(OptionSpec.integer("k", 10, "draws K per group").min(1));
        }
        if (kind == Kind.RENYI) o.add(OptionSpec.string("alpha", "0.5", "Rényi α: a number (1: ELBO, 0: IWAE) or -inf (VR-max)"));
        if (kind == Kind.IWAE) o.add(OptionSpec.choice("gradient", "auto", "reparam (plain), dreg (doubly reparameterised, Tucker et al. 2019; needs log q at a given x), "
                + "or auto: dreg where q has that (Gaussians, realnvp, iaf), reparam otherwise (planar, semi_implicit)", "auto", "reparam", "dreg"));
        if (kind == Kind.FLOW) {
            o.addAll(DensityFamilies.flowOptions(false));
            o.add(OptionSpec.real("log_sigma_init", 0.0, "initial log σ of the base affine map"));
        } else {
            o.addAll(DensityFamilies.options());
            o.addAll(List.of(
                    OptionSpec.integer("zdim", 3, "semi_implicit: dimension of the mixing noise z").min(1).onlyWhen("family", "semi_implicit"),
                    OptionSpec.list("si_hidden", "50,50", "semi_implicit: hidden widths of the mean network μ(z) (empty: linear, q Gaussian)").onlyWhen("family", "semi_implicit"),
                    Estimators.ACTIVATION.onlyWhen("family", "semi_implicit"),
                    OptionSpec.integer("inner_k", 50, "semi_implicit: mixing draws of the upper bound on log q (IWHVI with τ = q(z))").min(1).onlyWhen("family", "semi_implicit"),
                    OptionSpec.choice("si_flow", "none", "semi_implicit: a normalising flow applied after the semi-implicit Gaussian, x = F(y)", "none", "planar", "realnvp", "iaf")
                            .onlyWhen("family", "semi_implicit"),
                    OptionSpec.integer("si_flow_layers", 2, "semi_implicit: layers of that flow").min(0).onlyWhen("family", "semi_implicit"),
                    OptionSpec.list("si_flow_hidden", "32,32", "semi_implicit: hidden widths of that flow's networks (empty: linear)").onlyWhen("family", "semi_implicit")));
        }
        o.add(Estimators.lr("lr", 1e-2, "Adam learning rate"));
        return Estimators.concat(o, Estimators.SCHEDULE);
    }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("renyi",
            "variational Rényi bound (Li & Turner 2016): K importance weights, alpha=1 ELBO, 0 IWAE, -inf VR-max; Gaussian or flow q",
            options(Kind.RENYI), () -> new Renyi(Kind.RENYI));
    public static final MethodDescriptor IWAE = new MethodDescriptor("iwae",
            "importance-weighted bound (Burda et al. 2016) with K draws, reparameterised or DReG gradient (Tucker et al. 2019); Gaussian or flow q",
            options(Kind.IWAE), () -> new Renyi(Kind.IWAE));
    public static final MethodDescriptor FLOW = new MethodDescriptor("flow",
            "normalising-flow VI (planar, RealNVP, IAF): reparameterised ELBO with the exact log q from the log-determinant",
            options(Kind.FLOW), () -> new Renyi(Kind.FLOW));

    /** "−inf" or a number. */
    static double parseAlpha(String s) {
        if (s.equals("-inf")) return Double.NEGATIVE_INFINITY;
        try {
            double a = Double.parseDouble(s);
            if (Double.isFinite(a)) return a;
        } catch (NumberFormatException e) { /* the error below */ }
        throw new IllegalArgumentException("option alpha=" + s + " is neither a finite number nor -inf");
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int batch = o.getInt("batch", kind == Kind.FLOW ? 100 : 10);
        int k = kind == Kind.FLOW ? 1 : o.getInt("k", 10);
        if (batch < 1 || k < 1) throw new IllegalArgumentException(name() + ": batch and k must be >= 1, got " + batch + ", " + k);
        double alpha = switch (kind) {
            case RENYI -> parseAlpha(o.getString("alpha", "0.5"));
            case IWAE -> 0;
            case FLOW -> 1;
        };
        String gradient = kind == Kind.IWAE ? o.getString("gradient", "auto") : "reparam";
        boolean semiImplicit = kind != Kind.FLOW && o.getString("family", "full_rank").equals("semi_implicit");
        TrainState state = new TrainState();
        if (semiImplicit) {
            if (gradient.equals("dreg")) throw new IllegalArgumentException("iwae: gradient=dreg needs log q at a given x; the semi_implicit family has only a bound on it: use gradient=reparam");
            SemiImplicitGaussian q = SemiImplicitGaussian.create(state.params(), "q", target.dim(), o.getInt("zdim", 3),
                    Estimators.ints("si_hidden", o.getString("si_hidden", "50,50")), Activation.parse(o.getString("activation", "relu")),
                    2 * o.getDouble("log_sigma_init", 0), -20, rng, dtype);
            String flow = o.getString("si_flow", "none");
            int layers = o.getInt("si_flow_layers", 2);
            int[] hidden = Estimators.ints("si_flow_hidden", o.getString("si_flow_hidden", "32,32"));
            Flow post = flow.equals("none") ? null
                    : Flow.create(state.params(), "q.flow", target.dim(), Flow.Kind.valueOf(flow.toUpperCase(java.util.Locale.ROOT)), layers, hidden, 0, rng, dtype);
            state.addGroup("q", List.of("q."), Adam.reference(), Estimators.schedule(o, "lr", 1e-2), 0);
            return new SemiImplicitSession(state, new FlowedSemiImplicit(q, post), batch, k, alpha, o.getInt("inner_k", 50));
        }
        Family q = kind == Kind.FLOW ? DensityFamilies.create("flow", o, state.params(), target.dim(), rng, dtype)
                : DensityFamilies.create(o, state.params(), target.dim(), rng, dtype);
        if (gradient.equals("dreg") && !q.hasExactLogDensity())
            throw new IllegalArgumentException("iwae: gradient=dreg needs log q at a given x, which flow=planar does not have; use gradient=reparam or another family");
        boolean dreg = gradient.equals("dreg") || gradient.equals("auto") && q.hasExactLogDensity();
        state.addGroup("q", List.of("q."), Adam.reference(), Estimators.schedule(o, "lr", 1e-2), 0);
        return new BoundSession(state, q, batch, k, alpha, dreg);
    }

    /** log w = log p(x) − log q(x) of K·B draws as a K×B matrix (draw i = row i / B, group i mod B) and the draws. */
    static Var[] logWeights(Family q, Params.Bound p, Target t, Rng rng, int k, int groups) {
        Family.Scored s = q.sampleWithLogDensity(p, rng, k * groups);
        return new Var[] {reshape(sub(Estimators.logP(t, s.x()), s.logQ()), k, groups), s.x()};
    }

    /**
     * A semi-implicit Gaussian q_y, optionally followed by a flow F (x = F(y)): log q(x) = log q_y(y) − log|det ∂F/∂y|,
     * and the Jacobian does not depend on the mixing draw, so IWHVI's bound carries over, U(x) = U_y(y) − log|det|.
     */
    record FlowedSemiImplicit(SemiImplicitGaussian base, Flow post) {
        /** x = F(y) and log|det ∂F/∂y| (0 without a flow). */
        Var[] push(Params.Bound p, Var y) { return post == null ? new Var[] {y, null} : post.forward(p, y); }

        Tensor sampleValues(Params params, Rng rng, int n) {
            return GradMode.noGrad(() -> push(params.bind(), base.sample(params.bind(), rng, n).x())[0].value());
        }

        /** Draws with the bound (K = SemiImplicitBound.K mixing draws), pushed through F. */
        DensitySession.Draws withBound(Params params, Rng rng, int n) {
            DensitySession.Draws y = SemiImplicitBound.withMixingProposal(base, params, rng, n, SemiImplicitBound.K);
            if (post == null) return y;
            return GradMode.noGrad(() -> {
                Params.Bound p = params.bind();
                Var[] f = post.forward(p, constant(y.x().cast(base.dtype())));
                return new DensitySession.Draws(f[0].value().cast(DType.F64), Tensor.of(DType.F64, sub(constant(y.logQ()), cast(f[1], DType.F64)).value().toDoubleArray(), n));
            });
        }
    }

    /**
     * The same for a semi-implicit q: log w = log p(x) − U(x) with U IWHVI's upper bound on log q(x) from x's own
     * mixing draw and {@code innerK} more (τ = q(z)), reparameterised through x and q's parameters; with a flow
     * after it, U(x) = U_y(y) − log|det ∂F/∂y|.
     */
    static Var[] logWeights(FlowedSemiImplicit q, Params.Bound p, Target t, Rng rng, int k, int groups, int innerK) {
        Family.Draw d = q.base().sample(p, rng, k * groups);
        Var u = Iwhvi.upperBound(q.base(), p, null, null, d.x(), d.z(), innerK, rng)[0];
        Var[] f = q.push(p, d.x());
        if (f[1] != null) u = sub(u, f[1]);
        return new Var[] {reshape(sub(Estimators.logP(t, f[0]), u), k, groups), f[0]};
    }

    /** L_α per group (B) from the K×B log weights; see the class comment. */
    static Var bound(Var logW, double alpha) {
        int k = logW.dim(0);
        if (alpha == Double.NEGATIVE_INFINITY) return max(logW, 0, false);
        if (alpha == 1) return mean(logW, 0, false);
        return scale(addScalar(logSumExp(scale(logW, 1 - alpha), 0, false), -Math.log(k)), 1 / (1 - alpha));
    }

    /**
     * The DReG surrogate per group: Σ_k ŵ_k² (log p(x_k) − log q_frozen(x_k)), ŵ = softmax_k of logW's values.
     * Its gradient in the live parameters (through x only) is the DReG estimate of ∇ IWAE.
     */
    static Var dregSurrogate(Family q, Params.Bound frozen, Target t, Var x, Var logW) {
        int k = logW.dim(0), groups = logW.dim(1);
        Tensor w = GradMode.noGrad(() -> { Var c = constant(logW.value()); return exp(sub(c, logSumExp(c, 0, true))).value(); });
        Var lw = reshape(sub(Estimators.logP(t, x), q.logDensity(frozen, x)), k, groups);
        return sum(mul(square(constant(w)), lw), 0, false);
    }

    private record BoundSession(TrainState state, Family q, int batch, int k, double alpha, boolean dreg) implements DensitySession {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            Params.Bound p = state.bind();
            Var[] lw = logWeights(q, p, t, rng, k, batch);
            Var loss = neg(mean(bound(lw[0], alpha)));
            Var objective = dreg ? neg(mean(dregSurrogate(q, state.params().bind(n -> false), t, lw[1], lw[0]))) : loss;
            state.apply("q", p.gradients(objective), iteration);
            return StepInfo.of(loss.item());
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public Draws sampleWithLogDensity(Rng rng, int n) { return DensityFamilies.draws(q, state, rng, n); }
        @Override public java.util.Optional<double[]> logDensity(Tensor x) { return DensityFamilies.logDensity(q, state, x); }
    }

    private record SemiImplicitSession(TrainState state, FlowedSemiImplicit q, int batch, int k, double alpha, int innerK) implements Session {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            Params.Bound p = state.bind();
            Var loss = neg(mean(bound(logWeights(q, p, t, rng, k, batch, innerK)[0], alpha)));
            state.apply("q", p.gradients(loss), iteration);
            return StepInfo.of(loss.item());
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(q.withBound(state.evaluationParams(), rng, n));
        }
    }
}
