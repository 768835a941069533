package sivi.targets;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A data target split as a data engine splits it: the prior plus the row model on all rows is the target.
 * Both sides run the same operations; only the last addition of the likelihood and prior parts may be
 * done in another place, so each entry agrees within one rounding of that sum, u (|like| + |prior|).
 */
class RowTargetTest {
    static final double U = 0x1p-53;

    static void checkSplit(RowTarget t) {
        int d = t.dim();
        double[] a = Rng.of(5, 0).normal(DType.F64, 3, d).toDoubleArray();
        for (int i = 0; i < a.length; i++) a[i] *= 0.1;
        Tensor x = Tensor.of(DType.F64, a, 3, d), v = Rng.of(6, 0).normal(DType.F64, 3, d);
        Target like = t.rowModel().likelihood(t.rowsX(), t.rowsY(), 1), prior = t.prior();
        compare(GradMode.noGrad(() -> t.logDensity(Ops.constant(x))).value(), GradMode.noGrad(() -> like.logDensity(Ops.constant(x))).value(),
                GradMode.noGrad(() -> prior.logDensity(Ops.constant(x))).value(), t.name() + " log p");
        compare(t.scoreValue(x), like.scoreValue(x), prior.scoreValue(x), t.name() + " score");
        compare(t.hvpValue(x, v), like.hvpValue(x, v), prior.hvpValue(x, v), t.name() + " HVP");
    }

    static void compare(Tensor whole, Tensor like, Tensor prior, String what) {
        double[] w = whole.toDoubleArray(), l = like.toDoubleArray(), p = prior.toDoubleArray();
        for (int i = 0; i < w.length; i++)
            assertEquals(w[i], l[i] + p[i], U * (Math.abs(l[i]) + Math.abs(p[i])) + Double.MIN_NORMAL, what + "[" + i + "]");
    }

    @Test void logisticRegressionIsPriorPlusRows() { checkSplit(LogisticRegression.builtIn("lr-waveform")); }

    @Test void bnnIsPriorPlusRows() { checkSplit(BnnRegression.builtIn("bnn-concrete").withBatchSize(Integer.MAX_VALUE)); }

    @Test void aMinibatchViewHasNoRowsOfItsOwn() {
        Target view = LogisticRegression.builtIn("lr-waveform").withBatchSize(10).batch(1, 1);
        assertThrows(IllegalStateException.class, () -> ((RowTarget) view).rowsX());
    }
}
