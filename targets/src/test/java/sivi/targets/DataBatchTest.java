package sivi.targets;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Data subsampling (withDataBatch, batch(seed, t)): the minibatch log-likelihood scaled by n/B is unbiased for the
 * full one, and so is its score. Over R = 300 iterations the mean is within 4.5 standard errors (sd over the
 * minibatches / √R) of the full-data value, for log p and for every score coordinate checked (4.5: a family-wise
 * false-alarm rate below 1e-3 for the ≤ 30 comparisons per target; within an epoch the batches are drawn without
 * replacement, which only lowers the variance of the mean, so the i.i.d. standard error is conservative). When B
 * divides n the mean over one epoch is the full value exactly.
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
            Target t = batched.batch(seed, r);
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
        assertSame(t, t.batch(1, 0));
    }

    @Test void theMeanOverOneEpochIsTheFullLogDensityWhenBDividesN() {
        Target full = Targets.create("lr-waveform");   // n = 400, B = 50: 8 batches per epoch
        Target batched = full.withDataBatch(50);
        Tensor w = Rng.of(9, 0).normal(DType.F64, 3, full.dim());
        double[] want = GradMode.noGrad(() -> full.logDensity(Ops.constant(w)).value().toDoubleArray());
        double[] score = full.scoreValue(w).toDoubleArray();
        for (int epoch = 0; epoch < 3; epoch++) {
            double[] mean = new double[3], meanScore = new double[score.length];
            for (int i = 0; i < 8; i++) {
                Target t = batched.batch(7, epoch * 8L + i);
                double[] lp = GradMode.noGrad(() -> t.logDensity(Ops.constant(w)).value().toDoubleArray());
                double[] s = t.scoreValue(w).toDoubleArray();
                for (int k = 0; k < 3; k++) mean[k] += lp[k] / 8;
                for (int k = 0; k < s.length; k++) meanScore[k] += s[k] / 8;
            }
            for (int k = 0; k < 3; k++) assertEquals(want[k], mean[k], 1e-10 * Math.abs(want[k]), "epoch " + epoch + " log p");
            for (int k = 0; k < score.length; k++) assertEquals(score[k], meanScore[k], 1e-9 * (1 + Math.abs(score[k])), "epoch " + epoch + " score");
        }
    }

    @Test void anEpochVisitsEveryRowOnceAndTheRowsAreAFunctionOfSeedAndIteration() {
        DataBatches d = new DataBatches(10, 3);   // 3 batches per epoch, one row left out (a different one each epoch)
        assertEquals(3, d.perEpoch());
        java.util.Set<Integer> left = new java.util.HashSet<>();
        for (int epoch = 0; epoch < 40; epoch++) {
            boolean[] seen = new boolean[10];
            for (int i = 0; i < 3; i++)
                for (int r : d.rows(11, epoch * 3L + i)) { assertFalse(seen[r], "row " + r + " twice in epoch " + epoch); seen[r] = true; }
            for (int r = 0; r < 10; r++) if (!seen[r]) left.add(r);
        }
        // three given rows never left out in 40 epochs: 0.7^40 ≈ 6e-7; any three of the ten: ≤ C(10,3)·6e-7 < 1e-4
        assertTrue(left.size() >= 8, "left-out rows vary between epochs: " + left);
        // a fresh instance (a resumed run) gives the same rows for the same (seed, t), in any order of asking
        DataBatches again = new DataBatches(10, 3);
        assertArrayEquals(d.rows(11, 100), again.rows(11, 100));
        assertArrayEquals(d.rows(11, 4), again.rows(11, 4));
        assertFalse(java.util.Arrays.equals(d.rows(11, 0), d.rows(12, 0)) && java.util.Arrays.equals(d.rows(11, 1), d.rows(12, 1)), "seeds differ");
    }
}
