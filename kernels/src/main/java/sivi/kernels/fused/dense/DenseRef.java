package sivi.kernels.fused.dense;

import sivi.kernels.Activation;
import sivi.kernels.Checks;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * y = act(x W + b) and its backward {gp Wᵀ, xᵀ gp, Σ_n gp} with gp = gy ⊙ act'(pre).
 * The oracle: the most obvious loops, all arithmetic in double, one rounding to the output dtype at the end; never optimised.
 */
public final class DenseRef {
    private DenseRef() {}

    private static Tensor out(DType dt, double[] v, int... shape) { return Tensor.of(dt, v, shape); }

    public static Tensor dense(Activation act, Tensor x, Tensor w, Tensor b) {
        int o = Checks.dense("dense", x, w, b);
        int n = x.dim(0), in = x.dim(1);
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b.toDoubleArray(), y = new double[n * o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                double s = bv[j];
                for (int p = 0; p < in; p++) s += xv[i * in + p] * wv[p * o + j];
                y[i * o + j] = act.apply(s);
            }
        return out(x.dtype(), y, n, o);
    }

    public static Tensor[] denseBackward(Activation act, Tensor x, Tensor w, Tensor b, Tensor y, Tensor gy) {
        int o = Checks.dense("denseBackward", x, w, b);
        int n = x.dim(0), in = x.dim(1);
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b.toDoubleArray(), yv = y.toDoubleArray(), g = gy.toDoubleArray();
        double[] gp = new double[n * o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                double pre = bv[j];
                for (int p = 0; p < in; p++) pre += xv[i * in + p] * wv[p * o + j];
                gp[i * o + j] = g[i * o + j] * act.derivative(pre, yv[i * o + j]);
            }
        double[] gx = new double[n * in], gw = new double[in * o], gb = new double[o];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < o; j++) {
                double v = gp[i * o + j];
                gb[j] += v;
                for (int p = 0; p < in; p++) { gx[i * in + p] += v * wv[p * o + j]; gw[p * o + j] += xv[i * in + p] * v; }
            }
        return new Tensor[] {out(x.dtype(), gx, n, in), out(x.dtype(), gw, in, o), out(x.dtype(), gb, b.shape())};
    }
}
