package sivi.kernels.fused.ksd;

import sivi.kernels.Checks;
import sivi.kernels.StationaryKernel;
import sivi.kernels.fused.pairwise.PairwiseRef;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * S = Σ_{n,m} k(D(x_n, y_m); h)·(a_n·b_m) and all its partial derivatives, pair by pair.
 * The oracle: the most obvious loops, all arithmetic in double, one rounding to the output dtype at the end; never optimised.
 */
public final class KsdRef {
    private KsdRef() {}

    private static Tensor out(DType dt, double[] v, int... shape) { return Tensor.of(dt, v, shape); }

    private static boolean l1(StationaryKernel kernel) { return kernel.distance() == StationaryKernel.Distance.L1; }

    private static double dot(double[] av, int i, double[] bv, int j, int e) {
        double s = 0;
        for (int k = 0; k < e; k++) s += av[i * e + k] * bv[j * e + k];
        return s;
    }

    public static Tensor ksdQuadratic(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadratic", x, y, a, b);
        int n = x.dim(0), m = y.dim(0), d = x.dim(1), e = a.dim(1);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), av = a.toDoubleArray(), bv = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) s += kernel.value(PairwiseRef.pairDistance(l1(kernel), xv, i, yv, j, d), h) * dot(av, i, bv, j, e);
        return Tensor.scalar(x.dtype(), s);
    }

    public static Tensor[] ksdQuadraticWithGradient(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h) {
        Checks.ksdShapes("ksdQuadraticWithGradient", x, y, a, b);
        int n = x.dim(0), m = y.dim(0), d = x.dim(1), e = a.dim(1);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), av = a.toDoubleArray(), bv = b.toDoubleArray();
        double[] gx = new double[n * d], gy = new double[m * d], ga = new double[n * e], gb = new double[m * e];
        double s = 0, gh = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                double dist = PairwiseRef.pairDistance(l1(kernel), xv, i, yv, j, d), k = kernel.value(dist, h), p = dot(av, i, bv, j, e);
                double w = p * kernel.dValueDDist(dist, h, k);
                s += k * p;
                gh += p * kernel.dValueDBandwidth(dist, h, k);
                for (int c = 0; c < e; c++) {
                    ga[i * e + c] += k * bv[j * e + c];
                    gb[j * e + c] += k * av[i * e + c];
                }
                for (int c = 0; c < d; c++) {
                    double diff = xv[i * d + c] - yv[j * d + c];
                    double t = w * (kernel.distance() == StationaryKernel.Distance.L1 ? Math.signum(diff) : 2 * diff);
                    gx[i * d + c] += t;
                    gy[j * d + c] -= t;
                }
            }
        DType dt = x.dtype();
        return new Tensor[] {Tensor.scalar(dt, s), out(dt, gx, n, d), out(dt, gy, m, d), out(dt, ga, n, e), out(dt, gb, m, e), Tensor.scalar(dt, gh)};
    }
}
