package sivi.targets;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.metrics.Predictive;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

class BnnRegressionTest {

    @Test void bostonHasDimension751AndTheReferenceSplitSizes() {
        BnnRegression t = BnnRegression.builtIn("bnn-boston");
        assertEquals(751, t.dim());
        assertEquals(751, t.names().size());
        assertEquals("b2", t.names().get(750));
        // 506 rows: test ⌈50.6⌉ = 51, train part 455, dev round(45.5) = 46, training 409
        assertEquals(51, t.data().testY().length);
        assertEquals(46, t.data().devSize());
        assertEquals(409, t.trainSize());
        BnnRegression c = BnnRegression.builtIn("bnn-concrete");
        assertEquals(9 * 50 + 51, c.dim());
        assertEquals(1030 - 103 - 93, c.trainSize());
    }

    @Test void batchedLogDensityEqualsPerSampleLoop() {
        BnnRegression t = BnnRegression.builtIn("bnn-boston");
        int n = 3, d = t.dim();
        double[][] theta = new Rng(7).normal(DType.F64, n, d).toMatrix();
        for (double[] r : theta) for (int i = 0; i < d; i++) r[i] *= 0.3;
        double[] got = GradMode.noGrad(() -> t.logDensity(Var.constant(Tensor.matrix(theta))).value()).toDoubleArray();
        double gamma = Math.exp(t.logGamma()), lambda = Math.exp(t.logLambda());
        double[] y = t.data().y();
        for (int s = 0; s < n; s++) {
            double[] f = t.predictStandardised(theta[s], t.data().x());
            double want = 0.5 * d * (t.logLambda() - Math.log(2 * Math.PI));
            for (double v : theta[s]) want -= lambda / 2 * v * v;
            for (int i = 0; i < y.length; i++)
                want += 0.5 * (t.logGamma() - Math.log(2 * Math.PI)) - gamma / 2 * (y[i] - f[i]) * (y[i] - f[i]);
            // same sums in another order: agreement to ~1e-12 relative
            assertEquals(want, got[s], 1e-11 * Math.abs(want), "sample " + s);
        }
    }

    @Test void hvpMatchesFiniteDifferencesAlongOutputLayerDirections() {
        // log p is quadratic in (W2, b2) for fixed first layer: no ReLU kinks along these directions,
        // so the central difference of the score is exact up to rounding.
        BnnRegression t = BnnRegression.builtIn("bnn-boston").withBatchSize(20);
        Target b = t.batch(1, 0);
        int d = t.dim(), from = d - 51;
        Tensor x = new Rng(2).normal(DType.F64, 2, d);
        double[] v = new double[2 * d];
        Rng r = new Rng(3);
        for (int k = 0; k < 2; k++) for (int i = from; i < d; i++) v[k * d + i] = r.nextGaussian();
        Tensor vt = Tensor.of(DType.F64, v, 2, d);
        double h = 1e-4;
        double[] xa = x.toDoubleArray(), plus = xa.clone(), minus = xa.clone();
        for (int i = 0; i < xa.length; i++) { plus[i] += h * v[i]; minus[i] -= h * v[i]; }
        double[] sp = b.scoreValue(Tensor.of(DType.F64, plus, 2, d)).toDoubleArray(), sm = b.scoreValue(Tensor.of(DType.F64, minus, 2, d)).toDoubleArray();
        double[] fd = new double[sp.length];
        for (int i = 0; i < fd.length; i++) fd[i] = (sp[i] - sm[i]) / (2 * h);
        TargetContractTest.assertClose(Tensor.of(DType.F64, fd, 2, d), b.hvpValue(x, vt), 1e-7, "bnn hvp");
    }

    @Test void minibatchHasScaleTrainOverHundred() {
        BnnRegression t = BnnRegression.builtIn("bnn-boston");
        BnnRegression b = (BnnRegression) t.batch(5, 0);
        assertEquals(409.0 / 100, b.likelihoodScale(), 1e-15);
    }

    @Test void testMetricsAtZeroWeightsPredictTheTrainingMean() {
        BnnRegression t = BnnRegression.builtIn("bnn-boston");
        double[][] zero = new double[2][t.dim()];
        Predictive.Regression m = t.testMetrics(zero);
        double[] y = t.data().testY();
        double mu = t.data().yMean(), se = 0, ll = 0, gamma = Math.exp(t.logGamma());
        for (double v : y) {
            se += (v - mu) * (v - mu) / y.length;
            // the reference's quirk: precision γ (fitted on the standardised scale) on the original scale
            ll += (0.5 * Math.log(gamma / (2 * Math.PI)) - gamma / 2 * (v - mu) * (v - mu)) / y.length;
        }
        assertEquals(Math.sqrt(se), m.rmse(), 1e-12);
        assertEquals(ll, m.logLikelihood(), 1e-10);
        assertNotEquals(m.logLikelihood(), t.testLogLikelihoodRescaled(zero), 1e-3);
    }
}
