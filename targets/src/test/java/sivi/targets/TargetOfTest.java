package sivi.targets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Target.of: a target from a log-density lambda gets the score and HVP of its density from the autodiff. */
class TargetOfTest {
    /** log p(x) = −½ Σ_i a_i x_i² with a = (1, 4, 9): score −a∘x and HVP −a∘v in closed form. */
    static final double[] A = {1, 4, 9};
    static final Target T = Target.of("quad", 3, x -> Ops.scale(Ops.sum(Ops.mul(Ops.square(x), Ops.constant(Tensor.of(A, 1, 3))), 1, false), -0.5));

    @Test void scoreAndHvpAreTheClosedForms() {
        Tensor x = new Rng(3).normal(DType.F64, 4, 3), v = new Rng(4).normal(DType.F64, 4, 3);
        double[] xs = x.toDoubleArray(), vs = v.toDoubleArray(), s = T.scoreValue(x).toDoubleArray(), h = T.hvpValue(x, v).toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(-A[i % 3] * xs[i], s[i], 1e-12);
            assertEquals(-A[i % 3] * vs[i], h[i], 1e-12);
        }
        double[] lp = T.logDensity(Var.constant(x)).value().toDoubleArray();
        assertEquals(4, lp.length);
        assertEquals(-0.5 * (xs[0] * xs[0] + 4 * xs[1] * xs[1] + 9 * xs[2] * xs[2]), lp[0], 1e-12);
    }

    @Test void describesItselfAndRejectsBadArguments() {
        assertEquals("quad", T.name());
        assertEquals(List.of("x1", "x2", "x3"), T.names());
        assertFalse(T.isNormalised());
        assertThrows(IllegalArgumentException.class, () -> Target.of("bad", 0, x -> x));
        assertThrows(NullPointerException.class, () -> Target.of("bad", 1, null));
    }
}
