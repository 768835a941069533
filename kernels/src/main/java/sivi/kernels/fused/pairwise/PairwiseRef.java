package sivi.kernels.fused.pairwise;

import sivi.kernels.Checks;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * D = Σ_k (x_nk − y_mk)² or Σ_k |x_nk − y_mk|, and the contractions Σ_m w_nm·(x_n − y_m) (or sign) of their backward.
 * The oracle: the most obvious loops, all arithmetic in double, one rounding to the output dtype at the end; never optimised.
 */
public final class PairwiseRef {
    private PairwiseRef() {}

    private static Tensor out(DType dt, double[] v, int... shape) { return Tensor.of(dt, v, shape); }

    public static Tensor sqDist(Tensor x, Tensor y) { return pairDist("sqDist", false, x, y); }

    public static Tensor l1Dist(Tensor x, Tensor y) { return pairDist("l1Dist", true, x, y); }

    /** D[n,m] = Σ_k (x_nk − y_mk)², or Σ_k |x_nk − y_mk| with l1, summed in k order in double. */
    private static Tensor pairDist(String op, boolean l1, Tensor x, Tensor y) {
        int d = Checks.pairDims(op, x, y);
        int n = x.dim(0), m = y.dim(0);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), r = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) r[i * m + j] = pairDistance(l1, xv, i, yv, j, d);
        return out(x.dtype(), r, n, m);
    }

    public static Tensor[] distContract(Tensor w, Tensor x, Tensor y) { return pairContract("distContract", false, w, x, y); }

    public static Tensor[] l1DistContract(Tensor w, Tensor x, Tensor y) { return pairContract("l1DistContract", true, w, x, y); }

    /** gx_n = Σ_m t, gy_m = −Σ_n t with t = w_nm·(x_n − y_m), or w_nm·sign(x_n − y_m) with l1 (per coordinate). */
    private static Tensor[] pairContract(String op, boolean l1, Tensor w, Tensor x, Tensor y) {
        int d = Checks.pairDims(op, x, y);
        int n = x.dim(0), m = y.dim(0);
        Checks.pairWeights(op, w, x, y);
        double[] wv = w.toDoubleArray(), xv = x.toDoubleArray(), yv = y.toDoubleArray();
        double[] gx = new double[n * d], gy = new double[m * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                double wij = wv[i * m + j];
                for (int k = 0; k < d; k++) {
                    double diff = xv[i * d + k] - yv[j * d + k], t = wij * (l1 ? Math.signum(diff) : diff);
                    gx[i * d + k] += t;
                    gy[j * d + k] -= t;
                }
            }
        return new Tensor[] {out(x.dtype(), gx, n, d), out(x.dtype(), gy, m, d)};
    }

    /** Σ_k (x_ik − y_jk)², or Σ_k |x_ik − y_jk| with l1, for rows of length d in flat arrays. */
    public static double pairDistance(boolean l1, double[] xv, int i, double[] yv, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) { double t = xv[i * d + k] - yv[j * d + k]; s += l1 ? Math.abs(t) : t * t; }
        return s;
    }
}
