package sivi.kernels.fused.ksd;

import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Checks;
import sivi.kernels.Reduce;
import sivi.kernels.StationaryKernel;
import sivi.tensor.Tensor;

/**
 * The KSD quadratic form S = Σ_{n,m} k(D(x_n, y_m); h)·(a_n·b_m) and its backward composed of the
 * backend's own ops (distances, kernel and its backward, GEMMs, contractions, sums), with N×M
 * intermediates (D, K, a·bᵀ, ∂D) that the fused kernels avoid. On OpenCL each step runs on the
 * device, the intermediates crossing the bus between ops. Agreement with the oracle: that of the composed ops.
 */
public final class KsdTwin {
    private KsdTwin() {}

    /** D and K = k(D, h). */
    private static Tensor[] kernelMatrix(Backend be, StationaryKernel kernel, Tensor x, Tensor y, double h) {
        Tensor dist = kernel.distance() == StationaryKernel.Distance.L1 ? be.l1Dist(x, y) : be.sqDist(x, y);
        return new Tensor[] {dist, be.kernelFromSqDist(kernel, dist, h)};
    }

    /** S = Σ a ⊙ (K b). */
    private static Tensor quadratic(Backend be, Tensor a, Tensor kb) {
        return be.reduce(Reduce.SUM, be.reduce(Reduce.SUM, be.binary(Binary.MUL, a, kb), 1, false), 0, false);
    }

    public static Tensor forward(Backend be, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadratic", x, y, a, b);
        return quadratic(be, a, be.matmul(kernelMatrix(be, kernel, x, y, h)[1], b, false, false));
    }

    /** S; ga = K b, gb = Kᵀ a; (gD, gh) = kernel backward of gK = a bᵀ; gx, gy = the distance contraction of gD. */
    public static Tensor[] withGradient(Backend be, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadraticWithGradient", x, y, a, b);
        Tensor[] dk = kernelMatrix(be, kernel, x, y, h);
        Tensor ga = be.matmul(dk[1], b, false, false), gb = be.matmul(dk[1], a, true, false);
        Tensor[] gdh = be.kernelFromSqDistBackward(kernel, dk[0], dk[1], h, be.matmul(a, b, false, true));
        Tensor[] gxy;
        if (kernel.distance() == StationaryKernel.Distance.L1) gxy = be.l1DistContract(gdh[0], x, y);
        else {
            Tensor[] c = be.distContract(gdh[0], x, y);
            gxy = new Tensor[] {be.affine(c[0], 2, 0), be.affine(c[1], 2, 0)};
        }
        return new Tensor[] {quadratic(be, a, ga), gxy[0], gxy[1], ga, gb, gdh[1].reshape()};
    }
}
