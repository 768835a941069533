package sivi.kernels.fused.dense;

import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Checks;
import sivi.kernels.Reduce;
import sivi.kernels.Unary;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/**
 * y = act(x W + b) and its backward composed of primitives: a GEMM, a broadcast add and the
 * activation; backward gp = gy ⊙ act'(pre) ({@link Activation#derivative}: from y where that is
 * exact, pre recomputed for silu and softplus), gx = gp Wᵀ, gW = xᵀ gp, gb = Σ_n gp.
 */
public final class DenseTwin {
    private DenseTwin() {}

    private static Tensor pre(Backend be, Tensor x, Tensor w, Tensor b) {
        return be.binary(Binary.ADD, be.matmul(x, w, false, false), b.reshape(1, w.dim(1)));
    }

    private static Tensor act(Backend be, Activation act, Tensor p) {
        return switch (act) {
            case IDENTITY -> p;
            case RELU -> be.unary(Unary.RELU, p);
            case TANH -> be.unary(Unary.TANH, p);
            case SILU -> be.unary(Unary.SILU, p);
            case SOFTPLUS -> be.unary(Unary.SOFTPLUS, p);
            case SIGMOID -> be.unary(Unary.SIGMOID, p);
        };
    }

    public static Tensor forward(Backend be, Activation act, Tensor x, Tensor w, Tensor b) {
        Checks.dense("dense", x, w, b);
        return act(be, act, pre(be, x, w, b));
    }

    /** act'(pre) given y = act(pre). */
    private static Tensor derivative(Backend be, Activation act, Tensor x, Tensor w, Tensor b, Tensor y) {
        return switch (act) {
            case IDENTITY -> null;
            case RELU -> be.unary(Unary.STEP, y);                                          // y > 0 exactly when pre > 0
            case TANH -> be.affine(be.unary(Unary.SQUARE, y), -1, 1);                    // 1 − y²
            case SIGMOID -> be.binary(Binary.MUL, y, be.affine(y, -1, 1));               // y(1 − y)
            case SOFTPLUS -> be.unary(Unary.SIGMOID, pre(be, x, w, b));
            case SILU -> {                                                                 // s(1 + p(1 − s)), s = σ(p)
                Tensor p = pre(be, x, w, b), s = be.unary(Unary.SIGMOID, p);
                yield be.binary(Binary.MUL, s, be.affine(be.binary(Binary.MUL, p, be.affine(s, -1, 1)), 1, 1));
            }
        };
    }

    /** {gx, gW, gb (shape of b)}; null for the ones not wanted. */
    public static Tensor[] backward(Backend be, Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy, boolean wantX, boolean wantParams) {
        int o = Checks.dense("denseBackward", x, w, b);
        Checks.sameDType("denseBackward", x, y, gy);
        if (y.size() != x.dim(0) * o || gy.size() != x.dim(0) * o)
            throw new IllegalArgumentException("denseBackward: y " + Shapes.str(y.shape()) + " and gy " + Shapes.str(gy.shape()) + " must be [" + x.dim(0) + ", " + o + "]");
        Tensor g = gy.reshape(x.dim(0), o), d = derivative(be, act, x, w, b, y.reshape(x.dim(0), o));
        Tensor gp = d == null ? g : be.binary(Binary.MUL, g, d);
        return new Tensor[] {wantX ? be.matmul(gp, w, false, true) : null, wantParams ? be.matmul(x, gp, true, false) : null,
                wantParams ? be.reduce(Reduce.SUM, gp, 0, false).reshape(b.shape()) : null};
    }
}
