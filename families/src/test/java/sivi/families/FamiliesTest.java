package sivi.families;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** Each family's sample, conditional log-density and exact log-density agree with each other. */
class FamiliesTest {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    /** For x = μ + σ ⊙ ξ the conditional log-density is exactly Σ_j (−ξ_j²/2 − log σ_j − ½ log 2π). */
    static void assertConditionalMatchesNoise(SemiImplicit q, Params params) {
        GradMode.noGrad(() -> {
            Params.Bound p = params.bind();
            Family.Draw d = q.sample(p, new Rng(4), 30);
            double[] lq = q.conditionalLogDensity(p, d.x(), d.z()).value().toDoubleArray();
            double[] xi = d.xi().value().toDoubleArray();
            Tensor sigma = d.sigma().value();
            int dim = q.dim();
            for (int n = 0; n < 30; n++) {
                double want = 0;
                for (int j = 0; j < dim; j++) {
                    double s = sigma.dim(0) == 1 ? sigma.get(0, j) : sigma.get(n, j);
                    want += -0.5 * xi[n * dim + j] * xi[n * dim + j] - Math.log(s) - 0.5 * LOG_2PI;
                }
                assertEquals(want, lq[n], 1e-10);
            }
            return null;
        });
    }

    @Test void semiImplicitConditionalsMatchTheirDraws() {
        Params a = new Params();
        assertConditionalMatchesNoise(SemiImplicitGaussian.create(a, "q", 3, 2, 8, -1, -20, new Rng(1), DType.F64), a);
        Params b = new Params();
        assertConditionalMatchesNoise(SemiImplicitNetSigma.create(b, "q", 3, 2, new int[] {8, 8}, Activation.TANH, -1, -10, new Rng(2), DType.F64), b);
    }

    /** SIVI 2018 BLR family: log N(x | ψ, LLᵀ) at x = ψ + Lξ is −½‖ξ‖² − Σ log|L_ii| − (d/2) log 2π. */
    @Test void fullCovarianceConditionalMatchesItsDraws() {
        Params params = new Params();
        SemiImplicitFullCov q = SemiImplicitFullCov.create(params, "q", 3, 4, new int[] {5}, Activation.RELU, 0.2, new Rng(1), DType.F64);
        GradMode.noGrad(() -> {
            Params.Bound p = params.bind();
            Family.Draw d = q.sample(p, new Rng(2), 10);
            double[] lq = q.conditionalLogDensity(p, d.x(), d.z()).value().toDoubleArray(), xi = d.xi().value().toDoubleArray();
            for (int n = 0; n < 10; n++) {
                double want = -3 * Math.log(0.2) - 1.5 * LOG_2PI;
                for (int j = 0; j < 3; j++) want -= 0.5 * xi[n * 3 + j] * xi[n * 3 + j];
                assertEquals(want, lq[n], 1e-10);
            }
            return null;
        });
    }

    @Test void netSigmaClampsLogSigmaFromBelow() {
        Params b = new Params();
        var q = SemiImplicitNetSigma.create(b, "q", 2, 2, new int[] {4}, Activation.TANH, -50, -7, new Rng(2), DType.F64);
        var c = q.conditional(b.bind(), Var.constant(new Rng(3).normal(DType.F64, 5, 2)));
        for (double v : c.logSigma().value().toDoubleArray()) assertEquals(-7, v, 0);
    }

    /** Full-rank: draws have covariance LLᵀ (4 SE of a sample covariance), log q matches the closed form, and H = −E log q. */
    @Test void fullRankDrawsDensityAndEntropyAgree() {
        Params params = new Params();
        FullRankGaussian q = FullRankGaussian.create(params, "q", 2, 0, DType.F64);
        params.put("q.mu", Tensor.of(DType.F64, new double[] {1, -2}, 1, 2));
        params.put("q.chol", Tensor.of(DType.F64, new double[] {Math.log(0.5), 9 /* unused */, 0.8, Math.log(1.5)}, 2, 2));
        double l00 = 0.5, l10 = 0.8, l11 = 1.5;
        double c00 = l00 * l00, c01 = l00 * l10, c11 = l10 * l10 + l11 * l11, det = c00 * c11 - c01 * c01;
        int n = 20000;
        Tensor x = q.sampleValues(params, new Rng(8), n);
        double[] v = x.toDoubleArray();
        double m0 = 0, m1 = 0, s00 = 0, s01 = 0, s11 = 0;
        for (int i = 0; i < n; i++) { m0 += v[2 * i] / n; m1 += v[2 * i + 1] / n; }
        for (int i = 0; i < n; i++) {
            double a = v[2 * i] - m0, b = v[2 * i + 1] - m1;
            s00 += a * a / n; s01 += a * b / n; s11 += b * b / n;
        }
        assertEquals(1, m0, 4 * Math.sqrt(c00 / n));
        assertEquals(-2, m1, 4 * Math.sqrt(c11 / n));
        assertEquals(c00, s00, 4 * Math.sqrt(2 * c00 * c00 / n));
        assertEquals(c01, s01, 4 * Math.sqrt((c00 * c11 + c01 * c01) / n));
        assertEquals(c11, s11, 4 * Math.sqrt(2 * c11 * c11 / n));
        double[] lq = GradMode.noGrad(() -> q.logDensity(params.bind(), Var.constant(x)).value().toDoubleArray());
        double mean = 0, sq = 0;
        for (int i = 0; i < n; i++) {
            double a = v[2 * i] - 1, b = v[2 * i + 1] + 2;
            double quad = (c11 * a * a - 2 * c01 * a * b + c00 * b * b) / det;
            assertEquals(-0.5 * quad - 0.5 * Math.log(det) - LOG_2PI, lq[i], 1e-10);
            mean += lq[i] / n; sq += lq[i] * lq[i] / n;
        }
        double h = GradMode.noGrad(() -> q.entropy(params.bind()).item());
        assertEquals(Math.log(l00 * l11) + 1 + LOG_2PI, h, 1e-12);
        assertEquals(h, -mean, 4 * Math.sqrt((sq - mean * mean) / n));
    }

    @Test void meanFieldDensityAndEntropy() {
        Params params = new Params();
        MeanFieldGaussian q = MeanFieldGaussian.create(params, "q", 3, -0.5, DType.F64);
        double h = GradMode.noGrad(() -> q.entropy(params.bind()).item());
        assertEquals(3 * -0.5 + 1.5 * (1 + LOG_2PI), h, 1e-12);
        double lq = GradMode.noGrad(() -> q.logDensity(params.bind(), Var.constant(Tensor.zeros(DType.F64, 1, 3))).item());
        assertEquals(3 * (0.5 - 0.5 * LOG_2PI), lq, 1e-12);
    }

    /** A strongly negative gate bias puts τ at the N(0, I) prior. */
    @Test void gatedReverseModelStartsAtThePrior() {
        Params params = new Params();
        ReverseModel tau = ReverseModel.create(params, "tau", 2, 3, new int[] {4}, Activation.SOFTPLUS, -40, -10, new Rng(5), DType.F64);
        var c = tau.conditional(params.bind(), Var.constant(new Rng(6).normal(DType.F64, 7, 2)));
        for (double v : c.mu().value().toDoubleArray()) assertEquals(0, v, 1e-12);
        for (double v : c.logSigma().value().toDoubleArray()) assertEquals(0, v, 1e-12);
        Var psi = tau.sample(c, new Rng(7), 4);
        assertArrayEquals(new int[] {28, 3}, psi.shape());
    }
}
