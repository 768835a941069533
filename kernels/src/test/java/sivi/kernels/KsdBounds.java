package sivi.kernels;

import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Error bounds of a fast {@link Backend#ksdQuadratic} and its backward against the scalar oracle,
 * derived per pair as in {@link BackendContract}: with u the unit roundoff, P = Σ_c |a_nc b_mc|
 * (bounds |p| and its rounding error (e + 2)·u·P), k's relative error ≤ (kernelUlps + (d + 6)·ε)·u
 * where ε = |c|·D is the exponent's size (c = −1/(2h²) RBF, −1/h Laplace; ε = ½ for IMQ, whose k is
 * (1 + D/h)^(−½)) — the distance's (d + 3)·u relative error and the rounded c move the exponent —,
 * and a sum of n terms in the dtype within (n + 4)·u·Σ|terms|. The IMQ backward uses t = k³, so
 * its relative error is taken three times. The x and y gradients allow for the expansion about the
 * mean of y that the SIMD backend's GEMM form uses, and for the SIMD pass's zero for exponential kernel values below
 * 2^(MIN_EXPONENT + 26) (a relative error of 1 on those pairs). Every bound ends with one ulp of the result.
 */
public final class KsdBounds {
    private KsdBounds() {}

    /**
     * {tol S, tol gx, tol gy, tol ga, tol gb, tol gh} as flat arrays in the layouts of
     * {@link Backend#ksdQuadraticWithGradient}'s outputs.
     * kernelUlps: the kernel evaluation's own error; sumSlack: terms the S and gh sums add in the
     * dtype beyond a row's M (0 when rows are added in double).
     */
    public static double[][] of(StationaryKernel kernel, Tensor x, Tensor y, Tensor a, Tensor b, double h, double kernelUlps, int sumSlack) {
        DType dt = x.dtype();
        double u = dt == DType.F32 ? 0x1p-24 : 0x1p-53;
        int n = x.dim(0), m = y.dim(0), d = x.dim(1), e = a.dim(1);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), av = a.toDoubleArray(), bv = b.toDoubleArray();
        boolean l1 = kernel.distance() == StationaryKernel.Distance.L1;
        double[] s = new double[1], gh = new double[1], gx = new double[n * d], gy = new double[m * d], ga = new double[n * e], gb = new double[m * e];
        double cd = Math.abs(switch (kernel) {   // |∂k/∂D| / t, t = k or k³
            case RBF -> 1 / (2 * h * h);
            case LAPLACE -> 1 / h;
            case IMQ -> 0.5 / h;
        }) * (l1 ? 1 : 2);
        double ch = Math.abs(kernel.dValueDBandwidth(1, h, 1));   // |∂k/∂h| / (t·D)
        double kMin = dt == DType.F32 ? 0x1p-100 : 0x1p-996;
        double[] ybar = new double[d];
        for (int j = 0; j < m; j++) for (int c = 0; c < d; c++) ybar[c] += yv[j * d + c] / m;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) {
                double dist = 0, pAbs = 0;
                for (int c = 0; c < d; c++) { double t = xv[i * d + c] - yv[j * d + c]; dist += l1 ? Math.abs(t) : t * t; }
                for (int c = 0; c < e; c++) pAbs += Math.abs(av[i * e + c] * bv[j * e + c]);
                double k = kernel.value(dist, h), t = kernel == StationaryKernel.IMQ ? k * k * k : k;
                double eps = switch (kernel) {
                    case RBF -> dist / (2 * h * h);
                    case LAPLACE -> dist / h;
                    case IMQ -> 0.5;
                };
                double kRel = (kernelUlps + (d + 6) * eps) * u, tRel = (kernel == StationaryKernel.IMQ ? 3 : 1) * kRel;
                // The SIMD pass takes an exponential kernel value below 2^(MIN_EXPONENT + 26) as 0 (PairwiseF32.kernelValue):
                // such a pair's terms may be missing altogether (2× the threshold covers k's own rounding near it).
                if (kernel != StationaryKernel.IMQ && k < 2 * kMin) { kRel = 1; tRel = 1; }
                double pRel = (e + 2) * u;   // relative to P
                s[0] += k * pAbs * ((m + 4 + sumSlack) * u + kRel + pRel);
                gh[0] += ch * t * dist * pAbs * ((m + 4 + sumSlack) * u + tRel + pRel + (d + 6) * u);
                for (int c = 0; c < e; c++) {
                    double term = k * (kRel + 3 * u);
                    ga[i * e + c] += Math.abs(bv[j * e + c]) * (term + k * (m + 4) * u);
                    gb[j * e + c] += Math.abs(av[i * e + c]) * (term + k * (n + 4) * u);
                }
                for (int c = 0; c < d; c++) {
                    // a fast path may expand Σ_j w·(x − y) as x'·Σ_j w − Σ_j w·y' about the mean of y
                    // (x' = x − ȳ, y' = y − ȳ): its sums run over |x'| + |y'| rather than |x − y|
                    double diff = l1 ? 1 : Math.max(Math.abs(xv[i * d + c] - yv[j * d + c]), Math.abs(xv[i * d + c] - ybar[c]) + Math.abs(yv[j * d + c] - ybar[c]));
                    double w = cd * t * pAbs * diff;
                    gx[i * d + c] += w * ((m + 4) * u + tRel + pRel + 6 * u);
                    gy[j * d + c] += w * ((n + 4) * u + tRel + pRel + 6 * u);
                }
            }
        return new double[][] {s, gx, gy, ga, gb, gh};
    }

    /** Adds one ulp of the wanted value to each bound. */
    public static double[] plusUlp(double[] tol, Tensor want) {
        double[] w = want.toDoubleArray(), r = tol.clone();
        for (int i = 0; i < r.length; i++) r[i] += want.dtype() == DType.F32 ? Math.ulp((float) w[i]) : Math.ulp(w[i]);
        return r;
    }
}
