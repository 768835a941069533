package sivi.targets;

import java.util.List;
import java.util.Optional;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

/**
 * A (possibly unnormalised) log-density p on R^d, batched over rows: x is N×d, logDensity N.
 *
 * <p>Only {@link #logDensity} is required; it is written with autodiff ops, and the score and the
 * Hessian-vector product then come from the autodiff (reverse over reverse). A target may override
 * {@link #scoreValue} and {@link #hvpValue} with analytic versions (cheaper); a test checks every
 * override against the autodiff. {@link #score} exposes the score as one op whose backward is the
 * HVP, so methods that differentiate through s_p (KSIVI, SIVI-SM) need only first-order backward.
 * <p>As implemented: docs/targets.md#score-and-hvp.
 */
public interface Target {
    /**
     * A target from its log density alone, for the common case of a user-defined model: score and HVP
     * come from the autodiff, names are x1..xd, and the density is taken as unnormalised.
     * <pre>{@code
     * Target t = Target.of("my-gaussian", 2, x -> Ops.scale(Ops.sum(Ops.square(x), 1, false), -0.5));
     * }</pre>
     *
     * @param logDensity log p(x_n) for each row of x (N×d → N), written with {@link Ops}
     */
    static Target of(String name, int dim, java.util.function.UnaryOperator<Var> logDensity) {
        if (dim < 1) throw new IllegalArgumentException("a target needs dim >= 1, got " + dim);
        java.util.Objects.requireNonNull(logDensity, "logDensity");
        return new Target() {
            @Override public String name() { return name; }
            @Override public int dim() { return dim; }
            @Override public boolean isNormalised() { return false; }
            @Override public Var logDensity(Var x) { return logDensity.apply(x); }
        };
    }

    /** The CLI name, e.g. "banana". */
    String name();

    int dim();

    /** Parameter names (length dim), e.g. "x1", "x2" or "w[3]". */
    default List<String> names() {
        String[] n = new String[dim()];
        for (int i = 0; i < n.length; i++) n[i] = "x" + (i + 1);
        return List.of(n);
    }

    /**
     * Names of the values written for a draw (every sample format, {@code sivi mcmc}): by default
     * {@link #names()}. A target on an unconstrained space (a Stan model) names its constrained
     * parameters and transformed parameters here, e.g. "theta[1]", "tau".
     */
    default List<String> outputNames() { return names(); }

    /** Draws as written out: N×dim → N×outputNames().size(). Default: the identity. */
    default Tensor constrain(Tensor x) { return x; }

    /**
     * The inverse of {@link #constrain}: written values (N×outputNames().size(), columns in that
     * order) back to the target's space N×dim, so that draws read from a file can be evaluated.
     */
    default Tensor unconstrain(Tensor y) { return y; }

    /** Whether {@link #logDensity} includes the normalising constant. */
    boolean isNormalised();

    /** log p(x_n) for each row of x (N×d → N). */
    Var logDensity(Var x);

    /** ∇ log p at each row (N×d). Default: autodiff of {@link #logDensity}. */
    default Tensor scoreValue(Tensor x) {
        return GradMode.with(true, () -> Autodiff.grad(v -> Ops.sum(logDensity(v)), x));
    }

    /**
     * log p(x) and the score at one point, in float64: what a sampler (NUTS) pays per leapfrog step.
     * Reads x[0..d), writes scoreOut[0..d), keeps neither. Outside the support (log p not finite) the
     * score is not evaluated and NaN is written. Default: {@link #logDensity} without a tape, then
     * {@link #scoreValue}; a target whose density is a long scalar recursion overrides it (per-op
     * autodiff on one row costs milliseconds there), and a test checks the override against the default.
     */
    default double logDensityAndScore(double[] x, double[] scoreOut) {
        int d = dim();
        Tensor xt = Tensor.of(sivi.tensor.DType.F64, java.util.Arrays.copyOf(x, d), 1, d);
        double lp = GradMode.noGrad(() -> logDensity(Var.constant(xt)).value()).item();
        if (!Double.isFinite(lp)) {
            java.util.Arrays.fill(scoreOut, 0, d, Double.NaN);
            return lp;
        }
        System.arraycopy(scoreValue(xt).toDoubleArray(), 0, scoreOut, 0, d);
        return lp;
    }

    /** H(x_n)·v_n for each row (N×d, N×d → N×d), H the Hessian of log p. Default: autodiff. */
    default Tensor hvpValue(Tensor x, Tensor v) {
        return GradMode.with(true, () -> Autodiff.hvp(u -> Ops.sum(logDensity(u)), x, v));
    }

    /**
     * The score at x with an intermediate that {@link #hvpValue(Tensor, Tensor, Object)} at the same x
     * can reuse (the score op's backward runs at its forward's x). Default: no intermediate.
     */
    default ScoreWithCache scoreWithCache(Tensor x) { return new ScoreWithCache(scoreValue(x), null); }

    /** {@link #hvpValue(Tensor, Tensor)} given the cache of {@link #scoreWithCache} at this x. */
    default Tensor hvpValue(Tensor x, Tensor v, Object cache) { return hvpValue(x, v); }

    /** A score value and what the HVP at the same point may reuse (null: nothing). */
    record ScoreWithCache(Tensor score, Object cache) {}

    /** The score as a differentiable op (value {@link #scoreValue}, backward {@link #hvpValue}). */
    default Var score(Var x) { return ScoreOp.apply(this, x); }

    /**
     * The target for iteration {@code iteration} of a run seeded {@code seed} (the Trainer passes it to
     * {@code Session.step}): for a data target with a data batch, the view on that iteration's rows
     * ({@link DataBatches}: epoch by epoch without replacement) with the n/B scale; this target itself otherwise.
     */
    default Target batch(long seed, long iteration) { return this; }

    /**
     * The same target with a log-likelihood on b rows per iteration ({@link #batch}), scaled by n/b (unbiased
     * for the full log-likelihood and its gradient); b ≥ n is the full data. Only data targets have rows; the
     * others throw.
     */
    default Target withDataBatch(int b) {
        throw new IllegalArgumentException("target " + name() + " has no data rows to subsample (data batches are for the lr-* and bnn-* targets, lr-csv, bnn-csv and the posteriordb linear regressions)");
    }

    /** Exact i.i.d. draws where the target can be sampled directly (N×d). */
    default Optional<Tensor> exactSample(Rng rng, int n) { return Optional.empty(); }

    /** A box [lo1, hi1, lo2, hi2] for plots of 2-D targets. */
    default double[] plotBox() { return new double[] {-5, 5, -5, 5}; }
}
