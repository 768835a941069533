package sivi.kernels.opencl;

import sivi.kernels.Backend;
import sivi.kernels.Checks;
import sivi.kernels.Reduce;
import sivi.kernels.StationaryKernel;
import sivi.tensor.Tensor;

/**
 * The KSD quadratic form S = Σ_{n,m} k(D(x_n, y_m); h)·(a_n·b_m) and its backward composed of the
 * backend's own device ops (distances, kernel and its backward, GEMMs, contractions, sums), not
 * one OpenCL kernel: every step runs on the device, but its N×M intermediates (D, K, a·bᵀ, ∂D)
 * are downloaded and uploaded again between ops (counted in {@link Stats} as transfers; no host
 * arithmetic). Agreement with the oracle: that of the composed ops.
 */
final class ComposedKsd {
    private ComposedKsd() {}

    /** D and K = k(D, h). */
    private static Tensor[] kernelMatrix(Backend be, StationaryKernel kernel, Tensor x, Tensor y, double h) {
        Tensor dist = kernel.distance() == StationaryKernel.Distance.L1 ? be.l1Dist(x, y) : be.sqDist(x, y);
        return new Tensor[] {dist, be.kernelFromSqDist(kernel, dist, h)};
    }

    static Tensor forward(Backend be, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadratic", x, y, a, b);
        Tensor k = kernelMatrix(be, kernel, x, y, h)[1];
        Tensor rows = be.reduce(Reduce.SUM, be.binary(sivi.kernels.Binary.MUL, a, be.matmul(k, b, false, false)), 1, false);
        return be.reduce(Reduce.SUM, rows, 0, false);
    }

    /** ga = g·K b, gb = g·Kᵀ a; (gD, gh) = kernel backward of gK = g·a bᵀ; gx, gy = the distance contraction of gD. */
    static Tensor[] backward(Backend be, StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h, double g) {
        Checks.ksdShapes("ksdQuadraticBackward", x, y, a, b);
        Tensor[] dk = kernelMatrix(be, kernel, x, y, h);
        Tensor ga = be.affine(be.matmul(dk[1], b, false, false), g, 0), gb = be.affine(be.matmul(dk[1], a, true, false), g, 0);
        Tensor gK = be.affine(be.matmul(a, b, false, true), g, 0);
        Tensor[] gdh = be.kernelFromSqDistBackward(kernel, dk[0], dk[1], h, gK);
        Tensor[] gxy;
        if (kernel.distance() == StationaryKernel.Distance.L1) gxy = be.l1DistContract(gdh[0], x, y);
        else {
            Tensor[] c = be.distContract(gdh[0], x, y);
            gxy = new Tensor[] {be.affine(c[0], 2, 0), be.affine(c[1], 2, 0)};
        }
        return new Tensor[] {gxy[0], gxy[1], ga, gb, gdh[1].reshape()};
    }
}
