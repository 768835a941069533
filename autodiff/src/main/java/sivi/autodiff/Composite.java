package sivi.autodiff;

import sivi.kernels.Activation;
import sivi.kernels.StationaryKernel;

import static sivi.autodiff.Ops.*;

/**
 * Composite twins of the fused ops, built from primitives only. They are the oracles the fused
 * ops are tested against, and the path their second-order gradients take.
 */
public final class Composite {
    private Composite() {}

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** ||x_n − y_m||² from primitives: ||x||² + ||y||² − 2 x·yᵀ. */
    public static Var sqDist(Var x, Var y) {
        Var xx = sum(square(x), 1, true);                 // N×1
        Var yy = t(sum(square(y), 1, true));              // 1×M
        return sub(add(xx, yy), scale(matmul(x, y, false, true), 2));
    }

    /** Σ_k |x_nk − y_mk| from primitives: the N×M×d broadcast difference x[:, None, :] − y[None, :, :]. */
    public static Var l1Dist(Var x, Var y) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1);
        return sum(abs(sub(reshape(x, n, 1, d), reshape(y, 1, m, d))), 2, false);
    }

    /** kernel(D, h) from primitives (D the kernel's distance: squared Euclidean, or L1 for Laplace). */
    public static Var kernelFromSqDist(StationaryKernel kernel, Var dist2, Var h) {
        return switch (kernel) {
            case RBF -> exp(neg(div(dist2, scale(square(h), 2))));
            case IMQ -> pow(addScalar(div(dist2, h), 1), -0.5);
            case LAPLACE -> exp(neg(div(dist2, h)));
        };
    }

    /**
     * Σ_{n,m} k(D(x_n, y_m); h)·(a_n·b_m) from primitives: the kernel's distances ({@link #sqDist}
     * or {@link #l1Dist}), K = {@link #kernelFromSqDist}, then Σ a ⊙ (K b).
     */
    public static Var ksdQuadratic(StationaryKernel kernel, Var x, Var y, Var a, Var b, Var h) {
        Var dist = kernel.distance() == StationaryKernel.Distance.L1 ? l1Dist(x, y) : sqDist(x, y);
        return sum(mul(a, matmul(kernelFromSqDist(kernel, dist, h), b)));
    }

    /** log (1/K) Σ_k N(x_n | μ_k, diag σ_k²) from primitives (N×K×d broadcast). */
    public static Var lseMixture(Var x, Var mu, Var logSigma) {
        int n = x.dim(0), k = mu.dim(0), d = x.dim(1);
        Var x3 = reshape(x, n, 1, d);
        Var m3 = reshape(mu, 1, k, d);
        Var s3 = reshape(logSigma, 1, logSigma.dim(0), d);
        Var z = div(sub(x3, m3), exp(s3));                               // N×K×d
        Var comp = sum(sub(scale(square(z), -0.5), addScalar(s3, 0.5 * LOG_2PI)), 2, false); // N×K
        return addScalar(logSumExp(comp, 1, false), -Math.log(k));
    }

    /** act(x W + b) from primitives. */
    public static Var dense(Activation act, Var x, Var w, Var b) {
        return activate(act, add(matmul(x, w), reshape(b, 1, w.dim(1))));
    }
}
