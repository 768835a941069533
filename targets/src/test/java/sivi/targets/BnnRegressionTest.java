package sivi.targets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sivi.autodiff.Autodiff;
import sivi.autodiff.Ops;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
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

    @Test void rowsAreThePapersSklearnSplit() {
        // train_test_split(test_size=0.1, random_state=42) on the files in their published order, read with
        // numpy/torch: the first test responses, and the training response mean and (n-1) sd
        double[] bostonTest = BnnRegression.builtIn("bnn-boston").data().testY();
        assertArrayEquals(new double[] {23.6, 32.4, 13.6, 22.8}, java.util.Arrays.copyOf(bostonTest, 4), 0);
        BnnRegression.Data b = BnnRegression.builtIn("bnn-boston").data();
        assertEquals(22.674084, b.yMean(), 1e-5);
        assertEquals(9.416410, b.ySd(), 1e-5);
        assertArrayEquals(new double[] {52.91, 55.9, 74.5}, java.util.Arrays.copyOf(BnnRegression.builtIn("bnn-concrete").data().testY(), 3), 0);
    }

    /**
     * bnn-boston-sm is Boston with the SIVI-SM script's precisions (sivism_bnn.py: loglambda_hyp, loggamma_hyp): the same
     * rows and split, its own λ and γ, so its log density differs from bnn-boston's by exactly the prior and noise terms.
     */
    @Test void bostonWithTheSiviSmScriptsPrecisionsIsTheSameDataWithItsOwnLambdaAndGamma() {
        BnnRegression k = BnnRegression.builtIn("bnn-boston"), s = BnnRegression.builtIn("bnn-boston-sm");
        assertEquals(-1.003869799168037, k.logLambda(), 0);
        assertEquals(-2.555990767319021, k.logGamma(), 0);
        assertEquals(-0.9809319716071633, s.logLambda(), 0);
        assertEquals(-2.55156665423909, s.logGamma(), 0);
        assertSame(k.data(), s.data(), "one prepared copy of the Boston rows");
        assertEquals(k.dim(), s.dim());
        assertEquals("bnn-boston-sm", s.name());
        assertTrue(Targets.all().containsKey("bnn-boston-sm"), "registered");
        assertEquals(-0.9809319716071633, ((BnnRegression) Targets.create("bnn-boston-sm")).logLambda(), 0);
    }

    @Test void warmStartLossIsTheMeanPredictionsSquaredErrorOnTheOriginalScale() {
        BnnRegression t = BnnRegression.builtIn("bnn-boston");
        BnnRegression.Data dd = t.data();
        int n = 4, d = t.dim();
        double[][] theta = new Rng(3).normal(DType.F64, n, d).toMatrix();
        for (double[] r : theta) for (int i = 0; i < d; i++) r[i] *= 0.2;
        for (boolean trainRows : new boolean[] {false, true}) {
            int step = 5;   // rows 500..599 of the 409 training rows, cyclic
            double[][] x = trainRows ? new double[100][] : dd.devX();
            double[] y = trainRows ? new double[100] : dd.devY();
            if (trainRows) for (int k = 0; k < 100; k++) { int r = (step * 100 + k) % 409; x[k] = dd.x()[r]; y[k] = dd.y()[r] * dd.ySd() + dd.yMean(); }
            double want = 0;
            double[][] f = new double[n][];
            for (int s = 0; s < n; s++) f[s] = t.predictStandardised(theta[s], x);
            for (int i = 0; i < x.length; i++) {
                double m = 0;
                for (int s = 0; s < n; s++) m += (f[s][i] * dd.ySd() + dd.yMean()) / n;
                want += (m - y[i]) * (m - y[i]) / x.length;
            }
            double got = GradMode.noGrad(() -> t.warmStartLoss(Var.constant(Tensor.matrix(theta)), trainRows, step).item());
            assertEquals(want, got, 1e-9 * want, trainRows ? "train rows" : "dev rows");
        }
        assertEquals(46, dd.devX().length);
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

    /**
     * The closed form (the backend's reluNetGradient, less the prior) against the autodiff of the log density, beyond
     * the full-data target that TargetContractTest checks: a minibatch view (scale n/B), the likelihood alone (no prior:
     * a data engine's row model), concrete's 8 inputs; on the oracle backend and on the SIMD kernel. f64 agrees to
     * rounding; f32 input gives f32 output, within f32 rounding of the inputs and of the kernel's sums (below).
     */
    @ParameterizedTest @ValueSource(strings = {"scalar", "simd"})
    void closedFormScoreAndHvpMatchTheAutodiff(String backend) {
        BnnRegression boston = BnnRegression.builtIn("bnn-boston");
        BnnRegression concrete = BnnRegression.builtIn("bnn-concrete");
        Target minibatch = concrete.batch(3, 5);
        Target likelihood = boston.rowModel().likelihood(java.util.Arrays.copyOf(boston.rowsX(), 30),
                java.util.Arrays.copyOf(boston.rowsY(), 30), 2.5);
        try (Backend be = Backends.create(backend, 1)) {
            Kernels.with(be, () -> {
                for (Target t : new Target[] {minibatch, likelihood}) {
                    int n = 11, d = t.dim();   // more than one block of the SIMD kernel's draws
                    Tensor x = be.affine(new Rng(21).normal(DType.F64, n, d), 0.4, 0);
                    Tensor v = new Rng(22).normal(DType.F64, n, d);
                    Tensor score = GradMode.with(true, () -> Autodiff.grad(u -> Ops.sum(t.logDensity(u)), x));
                    Tensor hvp = GradMode.with(true, () -> Autodiff.hvp(u -> Ops.sum(t.logDensity(u)), x, v));
                    TargetContractTest.assertClose(score, t.scoreValue(x), 1e-10, t.name() + " score " + backend);
                    TargetContractTest.assertClose(hvp, t.hvpValue(x, v), 1e-10, t.name() + " hvp " + backend);
                    Tensor s32 = t.scoreValue(x.cast(DType.F32)), h32 = t.hvpValue(x.cast(DType.F32), v.cast(DType.F32));
                    assertEquals(DType.F32, s32.dtype());
                    assertEquals(DType.F32, h32.dtype());
                    // f32: the kernel contract's bound is (B + 2(d + H) + 16)·u·S with S the sums' absolute terms, up to
                    // ~130× the largest entry at these points (the likelihood case: 66× for the score, 134× for the HVP);
                    // as a random walk (√n·u, Higham §2.8) that is √232 · 6e-8 · 134 ≈ 1.2e-4 of the largest entry
                    TargetContractTest.assertClose(score, s32, 2e-4, t.name() + " f32 score " + backend);
                    TargetContractTest.assertClose(hvp, h32, 2e-4, t.name() + " f32 hvp " + backend);
                }
                assertThrows(IllegalArgumentException.class, () -> minibatch.scoreValue(Tensor.zeros(DType.F64, 2, 5)));
                return null;
            });
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
