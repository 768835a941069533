package sivi.kernels;

import sivi.tensor.DType;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/** Argument checks shared by every backend, so that all of them fail with the same message. */
public final class Checks {
    private Checks() {}

    public static DType sameDType(String op, Tensor... ts) {
        DType d = ts[0].dtype();
        for (Tensor t : ts) if (t.dtype() != d) throw new IllegalArgumentException(op + ": dtype mismatch " + d.label() + " vs " + t.dtype().label() + " (use cast)");
        return d;
    }

    public static void rank(String op, Tensor t, int rank, String what) {
        if (t.rank() != rank) throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank + ", got shape " + Shapes.str(t.shape()));
    }

    /** For x N×d and y M×d: checks ranks, dtypes and the shared d; returns d. */
    public static int pairDims(String op, Tensor x, Tensor y) {
        rank(op, x, 2, "x"); rank(op, y, 2, "y"); sameDType(op, x, y);
        if (x.dim(1) != y.dim(1)) throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + " and y " + Shapes.str(y.shape()) + " differ in the last dimension");
        return x.dim(1);
    }

    /** For the pairwise contractions: w must be N×M for x N×d, y M×d, and of their dtype. */
    public static void pairWeights(String op, Tensor w, Tensor x, Tensor y) {
        sameDType(op, w, x);
        int n = x.dim(0), m = y.dim(0);
        if (w.rank() != 2 || w.dim(0) != n || w.dim(1) != m) throw new IllegalArgumentException(op + ": w " + Shapes.str(w.shape()) + " must be [" + n + ", " + m + "]");
    }

    /** For the KSD quadratic form: x N×d, y M×d, a N×e, b M×e, all of one dtype. */
    public static void ksdShapes(String op, Tensor x, Tensor y, Tensor a, Tensor b) {
        pairDims(op, x, y);
        rank(op, a, 2, "a"); rank(op, b, 2, "b"); sameDType(op, x, a, b);
        if (a.dim(0) != x.dim(0) || b.dim(0) != y.dim(0) || a.dim(1) != b.dim(1))
            throw new IllegalArgumentException(op + ": a " + Shapes.str(a.shape()) + " and b " + Shapes.str(b.shape()) + " must be [" + x.dim(0) + ", e] and [" + y.dim(0) + ", e]");
    }

    /** Shape checks of the log-sum-exp mixture; returns true if logSigma is shared (1×d). */
    public static boolean mixture(String op, Tensor x, Tensor mu, Tensor logSigma) {
        rank(op, x, 2, "x"); rank(op, mu, 2, "mu"); rank(op, logSigma, 2, "logSigma"); sameDType(op, x, mu, logSigma);
        int d = x.dim(1);
        if (mu.dim(1) != d) throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + " and mu " + Shapes.str(mu.shape()) + " differ in the last dimension");
        if (logSigma.dim(1) != d || (logSigma.dim(0) != mu.dim(0) && logSigma.dim(0) != 1))
            throw new IllegalArgumentException(op + ": logSigma " + Shapes.str(logSigma.shape()) + " must be K×d or 1×d for mu " + Shapes.str(mu.shape()));
        return logSigma.dim(0) == 1 && mu.dim(0) != 1;
    }

    /** For {@link Backend#logisticTerms}: y has z's shape, or is one last-axis row ([B], [1, B], …) of it. */
    public static void logisticTerms(String op, Tensor z, Tensor y) {
        sameDType(op, z, y);
        logisticShapes(op, z.shape(), y);
    }

    /** logisticTerms of the logits A·B: A and B chain, y fits the product's shape; returns {m, k, n}. */
    public static int[] logisticTerms(String op, Tensor a, Tensor b, Tensor y) {
        int[] mkn = matmulShape(op, a, b, false, false);
        sameDType(op, a, y);
        logisticShapes(op, new int[] {mkn[0], mkn[2]}, y);
        return mkn;
    }

    private static void logisticShapes(String op, int[] z, Tensor y) {
        int zr = z.length, yr = y.rank();
        boolean same = java.util.Arrays.equals(z, y.shape());
        boolean row = zr >= 1 && yr >= 1 && yr <= zr && y.dim(yr - 1) == z[zr - 1] && y.size() == z[zr - 1];
        if (!same && !row)
            throw new IllegalArgumentException(op + ": y " + Shapes.str(y.shape()) + " must have z's shape " + Shapes.str(z) + " or be one row of its last axis");
    }

    /** (A·B) ⊙ H: A, B chain and H has the product's shape; returns {m, k, n}. */
    public static int[] matmulTimes(String op, Tensor a, Tensor b, Tensor h) {
        int[] mkn = matmulShape(op, a, b, false, false);
        sameDType(op, a, h);
        if (h.rank() != 2 || h.dim(0) != mkn[0] || h.dim(1) != mkn[2])
            throw new IllegalArgumentException(op + ": H " + Shapes.str(h.shape()) + " must have the product's shape [" + mkn[0] + ", " + mkn[2] + "]");
        return mkn;
    }

    /** logisticScore: logisticTerms of A·B, and C chains after the product; returns {m, k, n, e}. */
    public static int[] logisticScore(String op, Tensor a, Tensor b, Tensor y, Tensor c) {
        int[] mkn = logisticTerms(op, a, b, y);
        return chainAfter(op, a, mkn, c);
    }

    /** matmulTimesMatmul: matmulTimes of A·B and H, and C chains after the product; returns {m, k, n, e}. */
    public static int[] matmulTimesMatmul(String op, Tensor a, Tensor b, Tensor h, Tensor c) {
        int[] mkn = matmulTimes(op, a, b, h);
        return chainAfter(op, a, mkn, c);
    }

    private static int[] chainAfter(String op, Tensor a, int[] mkn, Tensor c) {
        sameDType(op, a, c);
        if (c.rank() != 2 || c.dim(0) != mkn[2])
            throw new IllegalArgumentException(op + ": C " + Shapes.str(c.shape()) + " must be a matrix of " + mkn[2] + " rows (the product's columns)");
        return new int[] {mkn[0], mkn[1], mkn[2], c.dim(1)};
    }

    /** Shape checks of the dense layer; returns the output width O. */
    public static int dense(String op, Tensor x, Tensor w, Tensor b) {
        rank(op, x, 2, "x"); rank(op, w, 2, "W"); sameDType(op, x, w, b);
        if (x.dim(1) != w.dim(0)) throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + " and W " + Shapes.str(w.shape()) + " do not chain");
        int o = w.dim(1);
        if (b.size() != o || b.rank() > 2 || (b.rank() == 2 && b.dim(0) != 1))
            throw new IllegalArgumentException(op + ": bias " + Shapes.str(b.shape()) + " must be [" + o + "] or [1, " + o + "]");
        return o;
    }

    /**
     * reluNetGradient: x B×d rows, y B×1 (or B) targets, theta N×D with D = (d + 1)·H + H + 1, v null or theta's
     * shape, one dtype, H ≥ 1; returns H·d, the length of the first layer's weights.
     */
    public static int reluNet(String op, Tensor x, Tensor y, Tensor theta, Tensor v, int hidden) {
        rank(op, x, 2, "x"); rank(op, theta, 2, "theta");
        if (v == null) sameDType(op, x, y, theta); else sameDType(op, x, y, theta, v);
        if (hidden < 1) throw new IllegalArgumentException(op + ": hidden units must be >= 1, got " + hidden);
        if (y.size() != x.dim(0) || y.rank() > 2 || (y.rank() == 2 && y.dim(1) != 1))
            throw new IllegalArgumentException(op + ": y " + Shapes.str(y.shape()) + " must be [" + x.dim(0) + "] or [" + x.dim(0) + ", 1]");
        int d = x.dim(1);
        long dim = (long) (d + 1) * hidden + hidden + 1;
        if (theta.dim(1) != dim)
            throw new IllegalArgumentException(op + ": theta " + Shapes.str(theta.shape()) + " must be [N, " + dim + "] for " + d + " inputs and " + hidden + " hidden units");
        if (v != null && !java.util.Arrays.equals(v.shape(), theta.shape()))
            throw new IllegalArgumentException(op + ": direction " + Shapes.str(v.shape()) + " must have theta's shape " + Shapes.str(theta.shape()));
        return d * hidden;
    }

    public static int[] matmulShape(String op, Tensor a, Tensor b, boolean ta, boolean tb) {
        rank(op, a, 2, "A"); rank(op, b, 2, "B"); sameDType(op, a, b);
        int m = ta ? a.dim(1) : a.dim(0), k = ta ? a.dim(0) : a.dim(1);
        int k2 = tb ? b.dim(1) : b.dim(0), n = tb ? b.dim(0) : b.dim(1);
        if (k != k2) throw new IllegalArgumentException(op + ": inner dimensions differ: A" + (ta ? "ᵀ " : " ") + Shapes.str(a.shape()) + ", B" + (tb ? "ᵀ " : " ") + Shapes.str(b.shape()));
        return new int[] {m, k, n};
    }

    /**
     * The geometry of a reduction along one axis, viewing the tensor as [outer, len, inner]
     * (row-major), and the result shape (the axis dropped, or kept with length 1).
     */
    public record ReduceGeometry(int outer, int len, int inner, int[] outShape) {}

    public static ReduceGeometry reduceGeometry(int[] shape, int axis, boolean keepDim) {
        int ax = Shapes.normAxis("reduce", axis, shape.length);
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int i = ax + 1; i < shape.length; i++) inner *= shape[i];
        int[] ns;
        if (keepDim) { ns = shape.clone(); ns[ax] = 1; }
        else { ns = new int[shape.length - 1]; for (int i = 0, j = 0; i < shape.length; i++) if (i != ax) ns[j++] = shape[i]; }
        return new ReduceGeometry(outer, shape[ax], inner, ns);
    }
}
