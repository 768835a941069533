package sivi.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sivi.families.FullRankGaussian;
import sivi.fit.Method;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.optim.Lbfgs;
import sivi.targets.Linalg;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The Laplace approximation (Laplace 1774; Bishop, Pattern Recognition and Machine Learning, 2006, §4.4;
 * docs/algorithms.md#laplace): the mode x̂ of log p by L-BFGS, H = −∇²log p(x̂) from autodiff, and
 * <pre>  q = N(x̂, H⁻¹),   log Z ≈ log p(x̂) + (d/2) log 2π − ½ log det H. </pre>
 * Both are exact when p is Gaussian. Multi-start: Trainer iteration k &lt; inits runs L-BFGS from
 * x₀ ~ U(−r, r)^d (r = init_radius, Stan's default 2) with that iteration's randomness, and the Gaussian
 * moves to the new mode when it has a higher log p; later iterations change nothing (so a run needs at
 * least {@code inits} iterations, and a resumed run continues the same sequence of starts).
 * The Hessian is dense: d HVPs against the unit vectors (batched), symmetrised; d ≤ hessian_max_dim.
 * A Hessian that is not positive definite is an error unless {@code jitter} ε &gt; 0 is given, which uses
 * H + εI (and is reported). Optimisation and Hessian run in float64 whatever the run's dtype.
 * The objective of each iteration is −log p at the best mode so far.
 */
public final class Laplace implements Method {
    @Override public String name() { return "laplace"; }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("laplace",
            "Laplace approximation: MAP by L-BFGS from several starts, N(mode, inverse Hessian), Laplace estimate of log Z",
            List.of(OptionSpec.integer("inits", 4, "L-BFGS starts, one per iteration (the run needs at least this many iterations)").min(1),
                    OptionSpec.real("init_radius", 2.0, "starts are uniform on (−r, r)^d").positive(),
                    OptionSpec.integer("history", 6, "L-BFGS history m").min(1),
                    OptionSpec.integer("max_iters", 1000, "L-BFGS iterations per start").min(1),
                    OptionSpec.real("grad_tol", 1e-8, "stop when max |∂ log p/∂x_i| ≤ grad_tol").positive(),
                    OptionSpec.real("jitter", 0.0, "added to the Hessian's diagonal (0: a non-positive-definite Hessian is an error)").min(0),
                    OptionSpec.integer("hessian_max_dim", 2000, "largest d for the dense Hessian (d HVPs, d² memory)").min(1)),
            Laplace::new);

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int d = target.dim(), maxDim = o.getInt("hessian_max_dim", 2000);
        Config c = new Config(o.getInt("inits", 4), o.getDouble("init_radius", 2.0),
                Lbfgs.Config.defaults().withHistory(o.getInt("history", 6)).withMaxIterations(o.getInt("max_iters", 1000))
                        .withTolerances(o.getDouble("grad_tol", 1e-8), 1e-13),
                o.getDouble("jitter", 0), maxDim);
        if (d > maxDim) throw new IllegalArgumentException("laplace: the target has d = " + d + " > hessian_max_dim = " + maxDim
                + " (the dense Hessian needs d HVPs and d² memory); raise --set hessian_max_dim if that fits");
        TrainState state = new TrainState();
        FullRankGaussian q = FullRankGaussian.create(state.params(), "q", d, 0, dtype);
        // best log p, log Z, gradient evaluations, HVPs: F64 whatever the run's dtype, kept in the checkpoint
        state.params().add("laplace.stats", Tensor.of(DType.F64, new double[] {Double.NEGATIVE_INFINITY, Double.NaN, 0, 0}, 1, 4));
        return new LaplaceSession(state, q, c, dtype, target);
    }

    record Config(int inits, double radius, Lbfgs.Config lbfgs, double jitter, int maxDim) {}


    /** Σ = H⁻¹ and log Z from the Hessian H of −log p at a mode where log p = logP. */
    record Gaussian(double[] mean, double[] chol, double logZ) {
        static Gaussian at(double[] mode, double logP, double[] h, double jitter) {
            int d = mode.length;
            if (jitter > 0) for (int i = 0; i < d; i++) h[i * d + i] += jitter;
            double[] lh;
            try {
                lh = Linalg.cholesky(h, d);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("laplace: the Hessian of −log p at the mode is not positive definite (" + e.getMessage()
                        + "): a saddle point or a flat direction; --set jitter=E adds E to its diagonal");
            }
            double[] l = Linalg.cholesky(Linalg.inverseFromCholesky(lh, d), d);
            double logDetSigma = 0;
            for (int i = 0; i < d; i++) logDetSigma += 2 * Math.log(l[i * d + i]);
            return new Gaussian(mode, l, logP + 0.5 * d * Math.log(2 * Math.PI) + 0.5 * logDetSigma);
        }
    }

    private static final class LaplaceSession implements Session {
        private final TrainState state;
        private final FullRankGaussian q;
        private final Config c;
        private final DType dtype;
        private final Target target;   // the full data: a mode and a Hessian are of the whole posterior, not of a batch
        private String lastReason;
        private int failedStarts;   // starts replaced because they ended at no mode (this process; not in the checkpoint)

        LaplaceSession(TrainState state, FullRankGaussian q, Config c, DType dtype, Target target) {
            this.state = state; this.q = q; this.c = c; this.dtype = dtype; this.target = target;
        }

        @Override public TrainState state() { return state; }

        @Override public StepInfo step(Target batch, int iteration, Rng rng) {
            double[] stats = state.params().get("laplace.stats").toDoubleArray();
            if (iteration >= c.inits()) return StepInfo.of(-stats[0]);
            long[] grads = {0}, hvps = {0};
            Lbfgs.Result r = null;
            double logP = Double.NaN;
            // a start that ends where the Hessian is not positive definite (a saddle, or L-BFGS stalled on a ridge) or
            // where log p is not finite is not a mode: it is replaced by a fresh start, up to Modes.START_TRIES
            for (int tries = 1; ; tries++) {
                try {
                    r = Lbfgs.minimize(Modes.negLogDensity(target, grads), Modes.uniformStart(rng, target.dim(), c.radius()), c.lbfgs());
                    logP = -r.last().f();
                    if (logP > stats[0]) {
                        Gaussian g = Gaussian.at(r.last().x(), logP, Modes.hessian(target, r.last().x(), hvps), c.jitter());
                        setFamily(state, "q", g.mean(), g.chol(), dtype);
                        stats[0] = logP;
                        stats[1] = g.logZ();
                        lastReason = r.reason();
                    }
                    break;
                } catch (IllegalArgumentException e) {
                    failedStarts++;
                    if (tries >= Modes.START_TRIES) {
                        if (stats[0] == Double.NEGATIVE_INFINITY) throw new IllegalArgumentException(e.getMessage() + " (" + Modes.START_TRIES + " starts tried)");
                        r = null;   // an earlier start found a mode: this one is dropped
                        break;
                    }
                }
            }
            stats[2] += grads[0];
            stats[3] += hvps[0];
            state.params().put("laplace.stats", Tensor.of(DType.F64, stats, 1, 4));
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("start_log_p", r == null ? Double.NaN : logP);
            extras.put("lbfgs_iterations", r == null ? Double.NaN : (double) r.iterations());
            return new StepInfo(-stats[0], extras);
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public Optional<double[]> logDensity(Tensor x) { return Estimators.logQ(q, state.evaluationParams(), x); }

        @Override public Map<String, Object> report() {
            double[] s = state.params().get("laplace.stats").toDoubleArray();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("log_z", s[1]);
            out.put("log_p_mode", s[0]);
            out.put("gradient_evals", (long) s[2]);
            out.put("hvp_evals", (long) s[3]);
            out.put("hessian_jitter", c.jitter());
            if (lastReason != null) out.put("lbfgs_stop", lastReason);
            out.put("starts_failed", failedStarts);
            return out;
        }
    }

    /**
     * Sets a {@link FullRankGaussian} "prefix" to N(mean, L Lᵀ): its parameter C holds L below the
     * diagonal and log L_ii on it.
     */
    static void setFamily(TrainState state, String prefix, double[] mean, double[] chol, DType dtype) {
        int d = mean.length;
        double[] cp = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) cp[i * d + j] = i == j ? Math.log(chol[i * d + i]) : chol[i * d + j];
        state.params().put(prefix + ".mu", Tensor.of(dtype, mean, 1, d));
        state.params().put(prefix + ".chol", Tensor.of(dtype, cp, d, d));
    }
}
