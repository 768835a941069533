package sivi.targets;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Data subsampling (withDataBatch): the minibatch log-likelihood scaled by n/B is unbiased for the full one, and
 * so is its score. Over R = 300 minibatches the mean is within 4.5 standard errors (sd over the minibatches / √R)
 * of the full-data value, for log p and for every score coordinate checked (4.5: a family-wise false-alarm rate
 * below 1e-3 for the ≤ 30 comparisons per target).
 */
class DataBatchTest {
    static void checkUnbiased(Target full, int b, long seed) {
        int d = full.dim(), reps = 300;
        Target batched = full.withDataBatch(b);
        double[] w0 = Rng.of(seed, 0).normal(DType.F64, 1, d).toDoubleArray();
        for (int i = 0; i < d; i++) w0[i] *= 0.1;
        Tensor w = Tensor.of(DType.F64, w0, 1, d);
        double lpFull = GradMode.noGrad(() -> full.logDensity(Ops.constant(w)).item());
        int k = Math.min(d, 29);
        double[] sFull = full.scoreValue(w).toDoubleArray();
        double[] sum = new double[k + 1], sq = new double[k + 1];
        for (int r = 0; r < reps; r++) {
            Target t = batched.minibatch(Rng.of(seed, r + 1));
            assertNotSame(batched, t, "a minibatch view");
            double lp = GradMode.noGrad(() -> t.logDensity(Ops.constant(w)).item());
            double[] s = t.scoreValue(w).toDoubleArray();
            sum[0] += lp; sq[0] += lp * lp;
            for (int j = 0; j < k; j++) { sum[j + 1] += s[j]; sq[j + 1] += s[j] * s[j]; }
        }
        for (int j = 0; j <= k; j++) {
            double mean = sum[j] / reps, sd = Math.sqrt(Math.max(0, sq[j] / reps - mean * mean));
            double want = j == 0 ? lpFull : sFull[j - 1];
            assertEquals(want, mean, 4.5 * sd / Math.sqrt(reps) + 1e-9 * Math.abs(want), full.name() + (j == 0 ? " log p" : " score[" + (j - 1) + "]"));
        }
    }

    @Test void logisticRegressionMinibatchesAreUnbiased() { checkUnbiased(Targets.create("lr-waveform"), 50, 3); }

    @Test void bnnMinibatchesAreUnbiased() { checkUnbiased(Targets.create("bnn-concrete"), 40, 4); }

    @Test void aTargetWithoutDataRefusesADataBatch() {
        var e = assertThrows(IllegalArgumentException.class, () -> Targets.create("banana").withDataBatch(10));
        assertTrue(e.getMessage().contains("no data rows"), e.getMessage());
    }

    @Test void aBatchAsLargeAsTheDataIsTheFullTarget() {
        Target t = Targets.create("lr-waveform").withDataBatch(400);
        assertSame(t, t.minibatch(Rng.of(1, 1)));
    }
}
