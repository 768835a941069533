package sivi.autodiff;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import sivi.kernels.Kernels;
import sivi.kernels.Unary;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** The checker itself: it must reject a wrong backward rule, or it proves nothing. */
class GradCheckTest {
    /** y = exp(x) with a backward that is off by 1%. */
    static Var almostExp(Var x) {
        Tensor y = Kernels.current().unary(Unary.EXP, x.value());
        return Var.derived("almostExp", y, new Var[] {x}, g -> new Var[] {Ops.mul(g, Ops.scale(Ops.exp(x), 1.01))});
    }

    @Test void firstOrderCheckRejectsABackwardThatIsOffByOnePercent() {
        Tensor x = Tensor.of(new double[] {0.1, -0.4, 0.9}, 3);
        assertThrows(AssertionError.class, () -> GradCheck.checkOp("almostExp", v -> almostExp(v[0]), x));
    }

    @Test void secondOrderCheckRejectsAWrongSecondDerivative() {
        Tensor x = Tensor.of(new double[] {0.1, -0.4, 0.9}, 3);
        // backward of exp written with a constant copy of exp(x): first order right, second order zero
        java.util.function.Function<Var, Var> f = v -> Ops.sum(Var.derived("expConstGrad", Kernels.current().unary(Unary.EXP, v.value()),
                new Var[] {v}, g -> new Var[] {Ops.mul(g, Var.constant(Kernels.current().unary(Unary.EXP, v.value())))}));
        GradCheck.checkOp("first order is right", v -> f.apply(v[0]), x);
        assertThrows(AssertionError.class, () -> GradCheck.checkHvp("expConstGrad", f, x, 1, 2));
    }

    @Test void checkerRefusesFloat32Inputs() {
        assertThrows(IllegalArgumentException.class, () -> GradCheck.check("f32", v -> Ops.sum(v[0]), Tensor.ones(DType.F32, 2)));
    }
}
