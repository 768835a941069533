package sivi.kernels.fused.mixture;

import sivi.kernels.Checks;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * out[n] = log (1/K) Σ_k N(x_n | μ_k, diag σ_k²) and its backward through the responsibilities.
 * The oracle: the most obvious loops, all arithmetic in double, one rounding to the output dtype at the end; never optimised.
 */
public final class MixtureRef {
    private MixtureRef() {}

    private static Tensor out(DType dt, double[] v, int... shape) { return Tensor.of(dt, v, shape); }

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** ℓ[n,k] = log N(x_n | μ_k, diag σ_k²). */
    private static double[] componentLogDensities(double[] xv, double[] mv, double[] sv, int n, int kk, int d, boolean shared) {
        double[] l = new double[n * kk];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < kk; k++) {
                double s = 0;
                int so = shared ? 0 : k * d;
                for (int j = 0; j < d; j++) {
                    double ls = sv[so + j];
                    double z = (xv[i * d + j] - mv[k * d + j]) * Math.exp(-ls);
                    s += -0.5 * z * z - ls - 0.5 * LOG_2PI;
                }
                l[i * kk + k] = s;
            }
        return l;
    }

    public static Tensor lseMixture(Tensor x, Tensor mu, Tensor logSigma) {
        boolean shared = Checks.mixture("lseMixture", x, mu, logSigma);
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        double[] l = componentLogDensities(x.toDoubleArray(), mu.toDoubleArray(), logSigma.toDoubleArray(), n, kk, d, shared);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < kk; k++) m = Math.max(m, l[i * kk + k]);
            double s = 0;
            for (int k = 0; k < kk; k++) s += Math.exp(l[i * kk + k] - m);
            r[i] = m + Math.log(s) - Math.log(kk);
        }
        return out(x.dtype(), r, n);
    }

    public static Tensor[] lseMixtureBackward(Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) {
        boolean shared = Checks.mixture("lseMixtureBackward", x, mu, logSigma);
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        double[] xv = x.toDoubleArray(), mv = mu.toDoubleArray(), sv = logSigma.toDoubleArray(), g = gOut.toDoubleArray();
        double[] l = componentLogDensities(xv, mv, sv, n, kk, d, shared);
        double[] gx = new double[n * d], gm = new double[kk * d], gs = new double[sv.length];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < kk; k++) m = Math.max(m, l[i * kk + k]);
            double s = 0;
            for (int k = 0; k < kk; k++) s += Math.exp(l[i * kk + k] - m);
            for (int k = 0; k < kk; k++) {
                double w = g[i] * Math.exp(l[i * kk + k] - m) / s; // gOut_n · responsibility r_nk
                int so = shared ? 0 : k * d;
                for (int j = 0; j < d; j++) {
                    double inv = Math.exp(-2 * sv[so + j]);
                    double diff = xv[i * d + j] - mv[k * d + j];
                    gx[i * d + j] -= w * diff * inv;
                    gm[k * d + j] += w * diff * inv;
                    gs[so + j] += w * (diff * diff * inv - 1);
                }
            }
        }
        return new Tensor[] {out(x.dtype(), gx, n, d), out(x.dtype(), gm, kk, d), out(x.dtype(), gs, logSigma.shape())};
    }
}
