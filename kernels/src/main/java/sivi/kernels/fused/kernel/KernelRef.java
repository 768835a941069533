package sivi.kernels.fused.kernel;

import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * K = k(D; h) elementwise and its backward {gK ⊙ ∂k/∂D, Σ gK ⊙ ∂k/∂h}, from {@link StationaryKernel}'s formulas.
 * The oracle: the most obvious loops, all arithmetic in double, one rounding to the output dtype at the end; never optimised.
 */
public final class KernelRef {
    private KernelRef() {}

    private static Tensor out(DType dt, double[] v, int... shape) { return Tensor.of(dt, v, shape); }

    public static Tensor kernelFromSqDist(StationaryKernel kernel, Tensor dist2, double h) {
        double[] v = dist2.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = kernel.value(v[i], h);
        return out(dist2.dtype(), v, dist2.shape());
    }

    public static Tensor[] kernelFromSqDistBackward(StationaryKernel kernel, Tensor dist2, Tensor k, double h, Tensor gK) {
        double[] dv = dist2.toDoubleArray(), kv = k.toDoubleArray(), gv = gK.toDoubleArray();
        double[] gd = new double[dv.length];
        double gh = 0;
        for (int i = 0; i < dv.length; i++) {
            gd[i] = gv[i] * kernel.dValueDDist(dv[i], h, kv[i]);
            gh += gv[i] * kernel.dValueDBandwidth(dv[i], h, kv[i]);
        }
        return new Tensor[] {out(dist2.dtype(), gd, dist2.shape()), out(dist2.dtype(), new double[] {gh})};
    }
}
