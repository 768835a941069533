package sivi.kernels.fused.kernel;

import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Checks;
import sivi.kernels.Reduce;
import sivi.kernels.StationaryKernel;
import sivi.kernels.Unary;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/**
 * k(D; h) and its backward composed of primitives ({@link StationaryKernel}'s formulas):
 * RBF e^{D·c} with c = −1/(2h²), Laplace e^{−D/h}, IMQ 1/√(1 + D/h); ∂k/∂D and ∂k/∂h as products of k.
 */
public final class KernelTwin {
    private KernelTwin() {}

    public static Tensor value(Backend be, StationaryKernel kernel, Tensor dist, double h) {
        return switch (kernel) {
            case RBF -> be.unary(Unary.EXP, be.affine(dist, -1 / (2 * h * h), 0));
            case LAPLACE -> be.unary(Unary.EXP, be.affine(dist, -1 / h, 0));
            case IMQ -> be.unary(Unary.RECIPROCAL, be.unary(Unary.SQRT, be.affine(dist, 1 / h, 1)));
        };
    }

    /** {gD = gK ⊙ ∂k/∂D, gh = Σ gK ⊙ ∂k/∂h (shape [])}. */
    public static Tensor[] backward(Backend be, StationaryKernel kernel, Tensor dist, Tensor k, double h, Tensor gK) {
        Checks.sameDType("kernelFromSqDistBackward", dist, k, gK);
        if (k.size() != dist.size() || gK.size() != dist.size())
            throw new IllegalArgumentException("kernelFromSqDistBackward: D " + Shapes.str(dist.shape()) + ", K " + Shapes.str(k.shape()) + " and gK " + Shapes.str(gK.shape()) + " must have the same size");
        Tensor kk = k.reshape(dist.shape()), g = gK.reshape(dist.shape());
        Tensor gk = be.binary(Binary.MUL, g, kk);                                      // gK·k
        if (kernel == StationaryKernel.IMQ) gk = be.binary(Binary.MUL, gk, be.unary(Unary.SQUARE, kk));   // gK·k³
        double dD = switch (kernel) { case RBF -> -1 / (2 * h * h); case IMQ -> -0.5 / h; case LAPLACE -> -1 / h; };
        double dH = switch (kernel) { case RBF -> 1 / (h * h * h); case IMQ -> 0.5 / (h * h); case LAPLACE -> 1 / (h * h); };
        Tensor terms = be.binary(Binary.MUL, gk, dist);
        Tensor gh = be.affine(be.reduce(Reduce.SUM, terms.reshape(terms.size()), 0, false), dH, 0);
        return new Tensor[] {be.affine(gk, dD, 0), gh};
    }
}
