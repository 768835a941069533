package sivi.kernels;

import sivi.kernels.fused.Fallbacks;
import sivi.kernels.fused.Fused;
import sivi.kernels.fused.dense.DenseTwin;
import sivi.kernels.fused.kernel.KernelTwin;
import sivi.kernels.fused.ksd.KsdTwin;
import sivi.kernels.fused.logistic.LogisticTwin;
import sivi.kernels.fused.matmultimes.MatmulTimesTwin;
import sivi.kernels.fused.median.MedianRef;
import sivi.kernels.fused.median.MedianTwin;
import sivi.kernels.fused.mixture.MixtureTwin;
import sivi.kernels.fused.pairwise.PairwiseTwin;
import sivi.kernels.fused.relunet.ReluNetTwin;
import sivi.tensor.Tensor;

/**
 * The maths on tensors. Three implementations: {@code scalar} (the oracle: the most obvious loops,
 * accumulating in double, never optimised), {@code simd} (Vector API) and {@code opencl}.
 * Inputs may be any views; outputs are fresh contiguous tensors of the inputs' dtype.
 * Mixing dtypes is an error. Results are identical run to run for a fixed thread count.
 *
 * <p>Every fast variant documents how closely it agrees with the scalar backend and is tested
 * against it.
 *
 * <p>The primitives (abstract: a new backend implements these) are {@link #unary}, {@link #binary},
 * {@link #where}, {@link #affine}, {@link #reduce}, {@link #sumTo} and {@link #matmul}. Every other
 * op is fused ({@link Fused}): its default here runs its composite twin (package
 * {@code sivi.kernels.fused.<op>}) and counts the call ({@link Fallbacks}); a backend overrides it
 * with a native kernel that agrees with the scalar oracle within the bound its javadoc states.
 */
public interface Backend extends AutoCloseable {

    /** "scalar", "simd" or "opencl" — recorded in every result file. */
    String name();

    /** Worker threads this backend splits rows over (1 = single-threaded). */
    int threads();

    /**
     * Runs body(0), …, body(parts − 1), on this backend's threads where it has them, each with this backend
     * current. Parts may run at the same time, so they must not share mutable state; ops inside a part run
     * on that part's thread alone. For work that splits once per training step (particles), not per op.
     */
    default void parts(int parts, java.util.function.IntConsumer body) {
        for (int k = 0; k < parts; k++) body.accept(k);
    }

    /** How many {@link #parts} work of this size takes: one per thread, but at least minPerPart of it in each (else 1). */
    default int partsFor(long work, long minPerPart) {
        return (int) Math.max(1, Math.min(threads(), work / Math.max(1, minPerPart)));
    }

    // ------------------------------------------------------------ elementwise

    Tensor unary(Unary op, Tensor x);

    /** Elementwise a (op) b with NumPy broadcasting. */
    Tensor binary(Binary op, Tensor a, Tensor b);

    /** cond != 0 ? a : b, broadcasting all three. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** a·x + b elementwise with scalar a, b (cheap scaling without a broadcast tensor). */
    Tensor affine(Tensor x, double a, double b);

    /**
     * Logistic regression's per-observation terms in one pass: {y − σ(z), σ(z)·(1 − σ(z))}, z's shape;
     * y has z's shape or is one last-axis row broadcast down z's rows. The default composes
     * {@link #unary}, {@link #binary} and {@link #affine} (σ, y − σ, 1 − σ, σ·(1 − σ)); a fused
     * override must round the same way, except that it may flush to 0 a σ (and curvature) below
     * about twice the dtype's smallest normal number.
     */
    default Tensor[] logisticTerms(Tensor z, Tensor y) {
        Checks.logisticTerms("logisticTerms", z, y);
        Tensor sig = unary(Unary.SIGMOID, z);
        return new Tensor[] {binary(Binary.SUB, y, sig), binary(Binary.MUL, sig, affine(sig, -1, 1))};   // y broadcasts to z's shape
    }

    /**
     * {@link #logisticTerms(Tensor, Tensor)} of the logits z = A·B (A: N×d samples, B: d×n design
     * transposed). The default composes; an override must give the same bits as its own composition.
     */
    default Tensor[] logisticTerms(Tensor a, Tensor b, Tensor y) {
        Fallbacks.count(this, Fused.LOGISTIC);
        return LogisticTwin.ofProduct(this, a, b, y);
    }

    /**
     * Logistic regression's likelihood score and curvature from the logits z = A·B, with z never an output:
     * {(y − σ(z))·C, σ(z)(1 − σ(z))} (A: N×d samples, B: d×n design transposed, C: n×e, usually the design; y as in
     * {@link #logisticTerms(Tensor, Tensor)}). The default composes {@link #logisticTerms(Tensor, Tensor, Tensor)}
     * and {@link #matmul}; an override must give the same bits as its own composition.
     */
    default Tensor[] logisticScore(Tensor a, Tensor b, Tensor y, Tensor c) {
        Fallbacks.count(this, Fused.LOGISTIC);
        return LogisticTwin.score(this, a, b, y, c);
    }

    // ------------------------------------------------------------ reductions

    /** Reduces one axis; keepDim keeps it with length 1. Empty SUM is 0, MEAN NaN, MAX/LOGSUMEXP −∞. */
    Tensor reduce(Reduce op, Tensor x, int axis, boolean keepDim);

    /** Sums g over broadcast axes so that the result has the given shape (the adjoint of broadcasting). */
    Tensor sumTo(Tensor g, int[] shape);

    // ------------------------------------------------------------ linear algebra

    /** C = op(A) op(B) for rank-2 A, B; op transposes when the flag is set. */
    Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB);

    /**
     * (A·B) ⊙ H with H of the product's shape (a GLM's Hessian-vector product: curvature times the
     * projected direction). The default composes {@link #matmul} and {@link #binary}; an override must
     * give the same bits as its own composition (it only saves the second output and pass).
     */
    default Tensor matmulTimes(Tensor a, Tensor b, Tensor h) {
        Fallbacks.count(this, Fused.MATMUL_TIMES);
        return MatmulTimesTwin.apply(this, a, b, h);
    }

    /**
     * ((A·B) ⊙ H)·C: a GLM's Hessian-vector product through its design (C: n×e), with (A·B) ⊙ H never an output. The
     * default composes {@link #matmulTimes} and {@link #matmul}; an override must give the same bits as its own
     * composition.
     */
    default Tensor matmulTimesMatmul(Tensor a, Tensor b, Tensor h, Tensor c) {
        Fallbacks.count(this, Fused.MATMUL_TIMES);
        return MatmulTimesTwin.thenMatmul(this, a, b, h, c);
    }

    // ------------------------------------------------------------ fused: pairwise kernels

    /** D[n,m] = ||x_n − y_m||² for x N×d, y M×d. */
    default Tensor sqDist(Tensor x, Tensor y) { Fallbacks.count(this, Fused.PAIRWISE); return PairwiseTwin.distance(this, "sqDist", Unary.SQUARE, x, y); }

    /**
     * The distance contractions the pairwise backward needs, without N×M×d temporaries:
     * gx[n] = Σ_m w[n,m] (x_n − y_m), gy[m] = Σ_n w[n,m] (y_m − x_n). Returns {gx (N×d), gy (M×d)}.
     */
    default Tensor[] distContract(Tensor w, Tensor x, Tensor y) { Fallbacks.count(this, Fused.PAIRWISE); return PairwiseTwin.contract(this, "distContract", false, w, x, y); }

    /** D[n,m] = Σ_k |x_nk − y_mk| (L1 distances, the Laplace kernel's) for x N×d, y M×d. */
    default Tensor l1Dist(Tensor x, Tensor y) { Fallbacks.count(this, Fused.PAIRWISE); return PairwiseTwin.distance(this, "l1Dist", Unary.ABS, x, y); }

    /**
     * The backward of {@link #l1Dist} without N×M×d temporaries: with s = sign(x_n − y_m) per
     * coordinate (0 at a tie, as Math.signum), gx[n] = Σ_m w[n,m] s, gy[m] = −Σ_n w[n,m] s.
     * Returns {gx (N×d), gy (M×d)}.
     */
    default Tensor[] l1DistContract(Tensor w, Tensor x, Tensor y) { Fallbacks.count(this, Fused.PAIRWISE); return PairwiseTwin.contract(this, "l1DistContract", true, w, x, y); }

    /**
     * K[n,m] = kernel(D[n,m], h) elementwise, where D holds the kernel's own distance
     * ({@link StationaryKernel#distance()}): squared Euclidean for RBF and IMQ (from {@link #sqDist}),
     * L1 for Laplace (from {@link #l1Dist}). The name predates the Laplace kernel.
     */
    default Tensor kernelFromSqDist(StationaryKernel kernel, Tensor dist2, double h) {
        Fallbacks.count(this, Fused.KERNEL);
        return KernelTwin.value(this, kernel, dist2, h);
    }

    /**
     * Backward of {@link #kernelFromSqDist}: given K and the upstream gradient gK returns
     * {gD = gK ⊙ ∂k/∂D (N×M), gh (scalar tensor) = Σ gK ⊙ ∂k/∂h}.
     */
    default Tensor[] kernelFromSqDistBackward(StationaryKernel kernel, Tensor dist2, Tensor k, double h, Tensor gK) {
        Fallbacks.count(this, Fused.KERNEL);
        return KernelTwin.backward(this, kernel, dist2, k, h, gK);
    }

    /**
     * The KSD quadratic form in one pass over the pairs, with no N×M array:
     * S = Σ_{n,m} k(D(x_n, y_m); h)·(a_n·b_m) for x N×d, y M×d, a N×e, b M×e, with D the kernel's
     * own distance ({@link StationaryKernel#distance()}). Returns a scalar tensor (shape []).
     */
    default Tensor ksdQuadratic(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Fallbacks.count(this, Fused.KSD);
        return KsdTwin.forward(this, kernel, x, y, a, b, h);
    }

    /**
     * {@link #ksdQuadratic} and all its partial derivatives in one pass over the pairs (a backward
     * needs no second pass: the caller scales them by the upstream gradient). With p = a_n·b_m and
     * k = k(D, h) returns {S (shape []), ∂S/∂x (N×d), ∂S/∂y (M×d), ∂S/∂a = Σ_m k b_m (N×e),
     * ∂S/∂b = Σ_n k a_n (M×e), ∂S/∂h = Σ p ∂k/∂h (shape [])}, where ∂S/∂x_n = Σ_m p ∂k/∂D ∂D/∂x_n
     * (∂D/∂x_n = 2(x_n − y_m), or sign(x_n − y_m) with 0 at a tie) and ∂S/∂y_m is its negative summed over n.
     */
    default Tensor[] ksdQuadraticWithGradient(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Fallbacks.count(this, Fused.KSD);
        return KsdTwin.withGradient(this, kernel, x, y, a, b, h);
    }

    /** The median of all elements (the lower median for even counts), by selection, not sorting. */
    default double median(Tensor x) { Fallbacks.count(this, Fused.MEDIAN); return MedianRef.lowerMedian(x); }   // no composite selects: the twin is the oracle

    /**
     * The lower median of the N×M distances of x and y — {@link #sqDist} (squared Euclidean), or {@link #l1Dist} when
     * l1 — and the first entry (row-major) equal to it: {@code median(D)} and its first match in D, bit for bit, without
     * handing the N×M matrix to the caller (a backend may compute it in a reused buffer; the median-heuristic bandwidth
     * asks for it every training step). The twin composes those three.
     */
    default PairMedian pairwiseMedian(Tensor x, Tensor y, boolean l1) {
        Fallbacks.count(this, Fused.MEDIAN);
        return MedianTwin.pairwise(this, x, y, l1);
    }

    // ------------------------------------------------------------ fused: log-sum-exp mixture

    /**
     * out[n] = log (1/K) Σ_k N(x_n | μ_k, diag σ_k²) with σ = exp(logSigma).
     * x N×d, mu K×d, logSigma K×d (per component) or 1×d (shared).
     */
    default Tensor lseMixture(Tensor x, Tensor mu, Tensor logSigma) {
        Fallbacks.count(this, Fused.MIXTURE);
        return MixtureTwin.forward(this, x, mu, logSigma);
    }

    /** Backward of {@link #lseMixture}: returns {gx (N×d), gmu (K×d), glogSigma (shape of logSigma)}. */
    default Tensor[] lseMixtureBackward(Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) {
        Fallbacks.count(this, Fused.MIXTURE);
        return MixtureTwin.backward(this, x, mu, logSigma, gOut);
    }

    // ------------------------------------------------------------ fused: a ReLU regression network per draw

    /**
     * The gradient, per draw, of a one-hidden-layer ReLU network's squared error
     * L(θ) = −(c/2) Σ_i (y_i − f(x_i; θ))², f(x; θ) = relu(x W1 + b1)·w2 + b2, for the N draws θ (rows of theta, each
     * W1 d×H row-major, then b1 H, w2 H, b2); v null: ∇L (N×D); else ∇²L·v per draw along the rows of v, with
     * relu'' = 0 and relu'(0) = 0 (the BNN target's score and HVP: docs/targets.md#bnn). x B×d, y B×1.
     */
    default Tensor reluNetGradient(Tensor x, Tensor y, Tensor theta, Tensor v, int hidden, double c) {
        Fallbacks.count(this, Fused.RELU_NET);
        return ReluNetTwin.gradient(this, x, y, theta, v, hidden, c);
    }

    // ------------------------------------------------------------ fused: conditional layer

    /** y = act(x W + b): x N×I, W I×O, b O (or 1×O). */
    default Tensor dense(Activation act, Tensor x, Tensor w, Tensor b) {
        Fallbacks.count(this, Fused.DENSE);
        return DenseTwin.forward(this, act, x, w, b);
    }

    /**
     * Backward of {@link #dense} given its output y and upstream gy:
     * with gp = gy ⊙ act'(pre), returns {gx = gp Wᵀ, gW = xᵀ gp, gb = Σ_n gp (shape of b)}.
     */
    default Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy) {
        Fallbacks.count(this, Fused.DENSE);
        return DenseTwin.backward(this, act, x, w, b, y, gy, true, true);
    }

    /**
     * As {@link #denseBackward(Activation, Tensor, Tensor, Tensor, Tensor, Tensor)}, but only the outputs
     * asked for are computed: gx when {@code wantX}, gW and gb when {@code wantParams}; the others are
     * null (a frozen layer needs only gx, a layer on a constant input only gW and gb). A backend that
     * cannot skip work computes all three and drops the unwanted ones.
     */
    default Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy, boolean wantX, boolean wantParams) {
        Tensor[] r = denseBackward(act, x, w, b, y, gy);
        return new Tensor[] {wantX ? r[0] : null, wantParams ? r[1] : null, wantParams ? r[2] : null};
    }

    @Override default void close() {}
}
