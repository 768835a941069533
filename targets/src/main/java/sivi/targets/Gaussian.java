package sivi.targets;

import java.util.Optional;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A correlated Gaussian N(μ, Σ) with exact moments: the known-answer target of every method.
 * Default construction: μ_i = (−1)^i·0.5·(i mod 3), Σ_ij = s_i s_j ρ^|i−j| (AR(1) correlation ρ)
 * with scales s_i spread geometrically between 0.5 and 2. Normalised; analytic score and HVP.
 * <p>As implemented: docs/targets.md#gaussian.
 */
public final class Gaussian implements Target {
    private final int d;
    private final double[] mean, cov, prec; // d, d×d, d×d
    private final double[] chol;            // lower Cholesky factor of cov
    private final double logNorm;

    public Gaussian(double[] mean, double[][] cov) {
        this.d = mean.length;
        this.mean = mean.clone();
        this.cov = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) this.cov[i * d + j] = cov[i][j];
        this.chol = Linalg.cholesky(this.cov, d);
        this.prec = Linalg.inverseFromCholesky(chol, d);
        double logDet = 0;
        for (int i = 0; i < d; i++) logDet += 2 * Math.log(chol[i * d + i]);
        this.logNorm = -0.5 * d * Math.log(2 * Math.PI) - 0.5 * logDet;
    }

    /** The default d-dimensional instance with AR(1) correlation rho. */
    public static Gaussian correlated(int d, double rho) {
        double[] mu = new double[d];
        double[] s = new double[d];
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            mu[i] = (i % 2 == 0 ? 1 : -1) * 0.5 * (i % 3);
            s[i] = d == 1 ? 1 : 0.5 * Math.pow(4, (double) i / (d - 1));
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] = s[i] * s[j] * Math.pow(rho, Math.abs(i - j));
        return new Gaussian(mu, c);
    }

    public double[] mean() { return mean.clone(); }

    /** Covariance, row-major d×d. */
    public double[] covariance() { return cov.clone(); }

    @Override public String name() { return "gaussian"; }
    @Override public int dim() { return d; }
    @Override public boolean isNormalised() { return true; }

    @Override public Var logDensity(Var x) {
        Var diff = sub(x, constant(Tensor.of(x.dtype(), mean, 1, d)));
        Var pd = matmul(diff, constant(Tensor.of(x.dtype(), prec, d, d)));
        return addScalar(scale(sum(mul(pd, diff), 1, false), -0.5), logNorm);
    }

    @Override public Tensor scoreValue(Tensor x) {
        double[] a = x.toDoubleArray();
        int n = a.length / d;
        double[] s = new double[a.length];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++) {
                double acc = 0;
                for (int j = 0; j < d; j++) acc -= prec[i * d + j] * (a[r * d + j] - mean[j]);
                s[r * d + i] = acc;
            }
        return Tensor.of(x.dtype(), s, x.shape());
    }

    @Override public Tensor hvpValue(Tensor x, Tensor v) {
        double[] b = v.toDoubleArray();
        int n = b.length / d;
        double[] r = new double[b.length];
        for (int k = 0; k < n; k++)
            for (int i = 0; i < d; i++) {
                double acc = 0;
                for (int j = 0; j < d; j++) acc -= prec[i * d + j] * b[k * d + j];
                r[k * d + i] = acc;
            }
        return Tensor.of(x.dtype(), r, x.shape());
    }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) {
        double[] out = new double[n * d], z = new double[d];
        for (int r = 0; r < n; r++) {
            rng.fillGaussian(z, 0, d);
            for (int i = 0; i < d; i++) {
                double acc = mean[i];
                for (int j = 0; j <= i; j++) acc += chol[i * d + j] * z[j];
                out[r * d + i] = acc;
            }
        }
        return Optional.of(Tensor.wrap(out, n, d));
    }
}
