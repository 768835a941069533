package sivi.posteriordb;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Data batches on the posteriordb linear regressions (their likelihood is a plain sum over rows): with B dividing
 * n, the n/B-scaled batch log densities of one epoch average to the full log density exactly (each row once,
 * the prior and Jacobian in every batch), and so do their scores.
 */
class DataBatchTest {
    @ParameterizedTest(name = "{0}, B = {1}")
    @CsvSource({"sblrc-blr, 25, 100", "kidiq-kidscore_momiq, 217, 434", "diamonds-diamonds, 1000, 5000"})
    void theMeanOverAnEpochIsTheFullPosterior(String posterior, int b, int n) {
        Target full = Posteriors.create(posterior), batched = full.withDataBatch(b);
        int m = n / b, d = full.dim();
        Tensor x = scaled(Rng.of(5, 0).normal(DType.F64, 2, d), 0.3);
        double[] want = GradMode.noGrad(() -> full.logDensity(Ops.constant(x)).value().toDoubleArray());
        double[] score = full.scoreValue(x).toDoubleArray();
        for (int epoch = 0; epoch < 2; epoch++) {
            double[] mean = new double[2], meanScore = new double[score.length];
            for (int i = 0; i < m; i++) {
                Target t = batched.batch(3, (long) epoch * m + i);
                assertNotSame(batched, t);
                double[] lp = GradMode.noGrad(() -> t.logDensity(Ops.constant(x)).value().toDoubleArray());
                double[] s = t.scoreValue(x).toDoubleArray();
                for (int k = 0; k < 2; k++) mean[k] += lp[k] / m;
                for (int k = 0; k < s.length; k++) meanScore[k] += s[k] / m;
            }
            // float64 sums of n terms regrouped: relative rounding ~ n·1e-16
            for (int k = 0; k < 2; k++) assertEquals(want[k], mean[k], 1e-10 * (1 + Math.abs(want[k])), posterior + " log p");
            for (int k = 0; k < score.length; k++) assertEquals(score[k], meanScore[k], 1e-9 * (1 + Math.abs(score[k])), posterior + " score " + k);
        }
        assertSame(full, full.withDataBatch(n), "B = n is the full data");
    }

    @Test void aModelWhoseLikelihoodIsNotAPlainSumRefusesADataBatch() {
        var e = assertThrows(IllegalArgumentException.class, () -> Posteriors.create("arK-arK").withDataBatch(10));
        assertTrue(e.getMessage().contains("no data rows"), e.getMessage());
    }

    private static Tensor scaled(Tensor t, double s) {
        double[] a = t.toDoubleArray();
        for (int i = 0; i < a.length; i++) a[i] *= s;
        return Tensor.of(DType.F64, a, t.shape());
    }
}
