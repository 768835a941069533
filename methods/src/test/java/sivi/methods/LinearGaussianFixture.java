package sivi.methods;

import sivi.families.SemiImplicitGaussian;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.targets.Gaussian;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A semi-implicit family whose mixing network is linear, μ(z) = zW + b with z ~ N(0, I_dz), so
 * q(x) = N(b, WᵀW + diag σ²) exactly: the ELBO, log q(x) and the reverse conditional q(z | x) are
 * all known in closed form (d = 2). The bounds of SIVI and IWHVI are tested against these.
 */
final class LinearGaussianFixture {
    final Params params = new Params();
    final SemiImplicitGaussian q;
    final int d = 2, dz;
    final double[] w, b, sigma2;      // W dz×d row-major, b d, σ² d
    final double[] cov = new double[4], prec = new double[4];
    final double logDet;

    LinearGaussianFixture(int dz, double logvar, long seed) {
        this.dz = dz;
        Rng rng = new Rng(seed);
        q = SemiImplicitGaussian.create(params, "q", d, dz, new int[0], Activation.IDENTITY, logvar, -20, rng, DType.F64);
        // spread the mixing weights so that q(x | z) is much narrower than q(x): a real SIVI gap
        double[] w0 = params.get("q.mu.0.weight").toDoubleArray();
        for (int i = 0; i < w0.length; i++) w0[i] = 2.0 * w0[i] + (i % 2 == 0 ? 0.8 : -0.6);
        params.put("q.mu.0.weight", Tensor.of(DType.F64, w0, dz, d));
        w = w0;
        b = params.get("q.mu.0.bias").toDoubleArray();
        sigma2 = new double[] {Math.exp(logvar), Math.exp(logvar)};
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double c = i == j ? sigma2[i] : 0;
                for (int k = 0; k < dz; k++) c += w[k * d + i] * w[k * d + j];
                cov[i * d + j] = c;
            }
        double det = cov[0] * cov[3] - cov[1] * cov[2];
        prec[0] = cov[3] / det; prec[3] = cov[0] / det; prec[1] = prec[2] = -cov[1] / det;
        logDet = Math.log(det);
    }

    /** Exact log q(x) for one point. */
    double logQ(double x0, double x1) {
        double r0 = x0 - b[0], r1 = x1 - b[1];
        double quad = r0 * (prec[0] * r0 + prec[1] * r1) + r1 * (prec[2] * r0 + prec[3] * r1);
        return -0.5 * quad - 0.5 * logDet - Math.log(2 * Math.PI);
    }

    /** E_q log q = −½ log det(2πe C). */
    double expectedLogQ() { return -0.5 * logDet - (1 + Math.log(2 * Math.PI)); }

    /** The exact ELBO E_q[log p] − E_q[log q] for a Gaussian target N(m, S). */
    double elbo(Gaussian p) { return elbo(cov, b, p); }

    /** The exact ELBO of q = N(b, cov) (d = 2) for a Gaussian target. */
    static double elbo(double[] cov, double[] b, Gaussian p) {
        double[] m = p.mean(), s = p.covariance();
        double sdet = s[0] * s[3] - s[1] * s[2];
        double[] sp = {s[3] / sdet, -s[1] / sdet, -s[2] / sdet, s[0] / sdet};
        double tr = sp[0] * cov[0] + sp[1] * cov[2] + sp[2] * cov[1] + sp[3] * cov[3];
        double r0 = b[0] - m[0], r1 = b[1] - m[1];
        double quad = r0 * (sp[0] * r0 + sp[1] * r1) + r1 * (sp[2] * r0 + sp[3] * r1);
        double eLogP = -Math.log(2 * Math.PI) - 0.5 * Math.log(sdet) - 0.5 * (tr + quad);
        double logDetQ = Math.log(cov[0] * cov[3] - cov[1] * cov[2]);
        return eLogP + 0.5 * logDetQ + (1 + Math.log(2 * Math.PI));
    }
}
