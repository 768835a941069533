package sivi.methods;

import sivi.kernels.Rng;
import sivi.targets.Linalg;
import sivi.tensor.DType;

/**
 * N(μ, Σ) with Σ = diag(α) + β γ βᵀ (β d×c, γ c×c symmetric): Pathfinder's Gaussian (Zhang, Carpenter, Gelman
 * &amp; Vehtari, JMLR 2022, Alg. 4). With the thin QR factorisation Q R = diag(α)^{−½} β (Q d×r orthonormal)
 * and L Lᵀ = I + R γ Rᵀ (r×r Cholesky):
 * <pre>  Σ = D^{½} A Aᵀ D^{½},  A = I + Q (L − I) Qᵀ,  D = diag(α),  log det Σ = Σ log α_i + 2 Σ log L_ii, </pre>
 * so a draw is x = μ + D^{½} A u, u ~ N(0, I), with log q(x) = −½ (d log 2π + log det Σ + ‖u‖²), and
 * A⁻¹ = I + Q (L⁻¹ − I) Qᵀ gives log q at any x. Cost O(d c²) instead of O(d³).
 * The QR is Gram–Schmidt with one reorthogonalisation; columns in the span of the earlier ones are dropped (r ≤ c).
 */
final class LowRankGaussian {
    final double[] mu, alpha, beta, gamma;
    final int d, c;
    private final double[] q, l;   // d×r, r×r lower
    private final int r;
    final double logDet;

    /** Throws IllegalArgumentException when I + RγRᵀ is not positive definite (Σ is not a covariance). */
    LowRankGaussian(double[] mu, double[] alpha, double[] beta, int c, double[] gamma) {
        this.mu = mu; this.alpha = alpha; this.beta = beta; this.gamma = gamma; this.c = c;
        d = mu.length;
        double[] qs = new double[d * Math.min(c, d)], rm = new double[Math.min(c, d) * c];
        int rank = 0;
        for (int j = 0; j < c; j++) {
            double[] v = new double[d];
            double norm0 = 0;
            for (int i = 0; i < d; i++) { v[i] = beta[i * c + j] / Math.sqrt(alpha[i]); norm0 += v[i] * v[i]; }
            double[] proj = new double[rank];
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < rank; k++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) dot += qs[i * Math.min(c, d) + k] * v[i];
                    for (int i = 0; i < d; i++) v[i] -= dot * qs[i * Math.min(c, d) + k];
                    proj[k] += dot;
                }
            double norm = 0;
            for (double e : v) norm += e * e;
            norm = Math.sqrt(norm);
            for (int k = 0; k < rank; k++) rm[k * c + j] = proj[k];
            if (rank < Math.min(c, d) && norm > 1e-10 * Math.sqrt(norm0) && norm > 0) {
                for (int i = 0; i < d; i++) qs[i * Math.min(c, d) + rank] = v[i] / norm;
                rm[rank * c + j] = norm;
                rank++;
            }
        }
        r = rank;
        int w = Math.min(c, d);
        q = new double[d * r];
        for (int i = 0; i < d; i++) for (int k = 0; k < r; k++) q[i * r + k] = qs[i * w + k];
        // M = I + R γ Rᵀ (r×r)
        double[] rg = new double[r * c], m = new double[r * r];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) { double s = 0; for (int k = 0; k < c; k++) s += rm[i * c + k] * gamma[k * c + j]; rg[i * c + j] = s; }
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) { double s = i == j ? 1 : 0; for (int k = 0; k < c; k++) s += rg[i * c + k] * rm[j * c + k]; m[i * r + j] = s; }
        for (int i = 0; i < r; i++) for (int j = 0; j < i; j++) { double s = 0.5 * (m[i * r + j] + m[j * r + i]); m[i * r + j] = s; m[j * r + i] = s; }
        l = r == 0 ? new double[0] : Linalg.cholesky(m, r);
        double ld = 0;
        for (double a : alpha) ld += Math.log(a);
        for (int i = 0; i < r; i++) ld += 2 * Math.log(l[i * r + i]);
        logDet = ld;
    }

    /** Σ v = α ⊙ v + β (γ (βᵀ v)). */
    double[] covTimes(double[] v) {
        double[] bv = new double[c], gbv = new double[c], out = new double[d];
        for (int i = 0; i < d; i++) for (int j = 0; j < c; j++) bv[j] += beta[i * c + j] * v[i];
        for (int i = 0; i < c; i++) for (int j = 0; j < c; j++) gbv[i] += gamma[i * c + j] * bv[j];
        for (int i = 0; i < d; i++) { double s = alpha[i] * v[i]; for (int j = 0; j < c; j++) s += beta[i * c + j] * gbv[j]; out[i] = s; }
        return out;
    }

    /** n draws (n×d row-major) into x; their log q into logQ. */
    void sample(Rng rng, int n, double[] x, double[] logQ) {
        double[] u = rng.normal(DType.F64, n, d).toDoubleArray();
        double[] qu = new double[r], lqu = new double[r];
        for (int s = 0; s < n; s++) {
            int o = s * d;
            double uu = 0;
            java.util.Arrays.fill(qu, 0);
            for (int i = 0; i < d; i++) { uu += u[o + i] * u[o + i]; for (int k = 0; k < r; k++) qu[k] += q[i * r + k] * u[o + i]; }
            for (int k = 0; k < r; k++) { double t = -qu[k]; for (int j = 0; j <= k; j++) t += l[k * r + j] * qu[j]; lqu[k] = t; }   // (L − I) Qᵀu
            for (int i = 0; i < d; i++) {
                double a = u[o + i];
                for (int k = 0; k < r; k++) a += q[i * r + k] * lqu[k];
                x[o + i] = mu[i] + Math.sqrt(alpha[i]) * a;
            }
            logQ[s] = -0.5 * (d * Math.log(2 * Math.PI) + logDet + uu);
        }
    }

    /** log q at the rows of x (n×d). */
    double[] logDensity(double[] x, int n) {
        double[] out = new double[n], z = new double[d], w = new double[r], v = new double[r];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) z[i] = (x[s * d + i] - mu[i]) / Math.sqrt(alpha[i]);
            java.util.Arrays.fill(w, 0);
            for (int i = 0; i < d; i++) for (int k = 0; k < r; k++) w[k] += q[i * r + k] * z[i];
            for (int k = 0; k < r; k++) { double t = w[k]; for (int j = 0; j < k; j++) t -= l[k * r + j] * v[j]; v[k] = t / l[k * r + k]; }   // L⁻¹ w
            double uu = 0;
            for (int i = 0; i < d; i++) {
                double a = z[i];
                for (int k = 0; k < r; k++) a += q[i * r + k] * (v[k] - w[k]);
                uu += a * a;
            }
            out[s] = -0.5 * (d * Math.log(2 * Math.PI) + logDet + uu);
        }
        return out;
    }
}
