package sivi.autodiff;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Properties of the tape: idempotence, stop-gradient, no-grad mode, partial-derivative semantics, error messages. */
class GraphSemanticsTest {
    static Tensor normal(long seed, int... shape) { return new Rng(seed).normal(DType.F64, shape); }

    static double[] arr(Var v) { return v.value().toDoubleArray(); }

    @Test void takingTheGradientTwiceGivesIdenticalAnswers() {
        Var x = Var.leaf(normal(1, 4, 3)), w = Var.leaf(normal(2, 3, 2));
        Var y = sum(logSumExp(tanh(matmul(x, w)), 1, false));
        Var[] g1 = Autodiff.grad(y, new Var[] {x, w}, null, false), g2 = Autodiff.grad(y, new Var[] {x, w}, null, false);
        for (int i = 0; i < 2; i++) assertArrayEquals(arr(g1[i]), arr(g2[i]));
        Var[] g3 = Autodiff.grad(y, new Var[] {x, w}, null, true);
        for (int i = 0; i < 2; i++) assertArrayEquals(arr(g1[i]), arr(g3[i]), 1e-15);
    }

    @Test void gradientsOfSharedSubexpressionsAccumulate() {
        Var x = Var.leaf(Tensor.of(new double[] {1.5, -2}, 2));
        Var y = sum(add(mul(x, x), x));                    // d/dx = 2x + 1
        assertArrayEquals(new double[] {4, -3}, arr(Autodiff.grad(y, new Var[] {x}, null, false)[0]));
    }

    @Test void detachStopsTheGradient() {
        Var x = Var.leaf(Tensor.of(new double[] {3, -1}, 2));
        Var y = sum(mul(x, x.detach()));                   // d/dx = x, not 2x
        assertArrayEquals(new double[] {3, -1}, arr(Autodiff.grad(y, new Var[] {x}, null, false)[0]));
        assertFalse(x.detach().requiresGrad());
        assertSame(x.value(), x.detach().value());
    }

    @Test void noGradRecordsNothingAndRestoresTheMode() {
        Var x = Var.leaf(normal(3, 3));
        Var y = GradMode.noGrad(() -> sum(exp(x)));
        assertFalse(y.requiresGrad());
        assertArrayEquals(new double[3], arr(Autodiff.grad(y, new Var[] {x}, null, false)[0]));
        assertTrue(GradMode.isRecording());
        assertThrows(IllegalStateException.class, () -> GradMode.noGrad(() -> { throw new IllegalStateException("boom"); }));
        assertTrue(GradMode.isRecording(), "recording restored after an exception");
    }

    @Test void functionalTransformsDifferentiateEvenWhenCalledInsideNoGrad() {
        // e.g. evaluating a target's score for a particle update, with the outer graph off
        Tensor x = Tensor.of(new double[] {1.5, -0.5}, 2), v = Tensor.of(new double[] {1, 2}, 2);
        java.util.function.Function<Var, Var> f = p -> sum(mul(square(p), p));   // Σ x³: ∇ = 3x², H·v = 6x⊙v
        double[] want = {6.75, 0.75}, wantHv = {9, -6};
        GradMode.noGrad(() -> {
            assertArrayEquals(want, Autodiff.grad(f, x).toDoubleArray(), 1e-15);
            assertArrayEquals(want, Autodiff.vjp(p -> sum(mul(square(p), p)), x, Tensor.scalar(DType.F64, 1)).toDoubleArray(), 1e-15);
            assertArrayEquals(wantHv, Autodiff.hvp(f, x, v).toDoubleArray(), 1e-15);
            assertArrayEquals(new double[] {6.75 + 1.5}, Autodiff.jvp(p -> reshape(f.apply(p), 1), x, v).toDoubleArray(), 1e-15);
            assertFalse(GradMode.isRecording());
            return null;
        });
    }

    @Test void noGradIsPerThread() throws Exception {
        AtomicBoolean other = new AtomicBoolean();
        GradMode.noGrad(() -> {
            Thread t = new Thread(() -> other.set(GradMode.isRecording()));
            t.start();
            try { t.join(); } catch (InterruptedException e) { throw new RuntimeException(e); }
            return null;
        });
        assertTrue(other.get());
    }

    @Test void opsOnConstantsOnlyRecordNoGraph() {
        Var y = exp(Var.constant(normal(4, 3)));
        assertFalse(y.requiresGrad());
        assertTrue(exp(Var.leaf(normal(4, 3))).requiresGrad());
    }

    @Test void gradientOfAnUnrelatedLeafIsZerosOfItsShapeAndDtype() {
        Var x = Var.leaf(normal(5, 2)), unrelated = Var.leaf(Tensor.ones(DType.F32, 3, 2));
        Var[] g = Autodiff.grad(sum(exp(x)), new Var[] {x, unrelated}, null, false);
        assertArrayEquals(new int[] {3, 2}, g[1].shape());
        assertEquals(DType.F32, g[1].dtype());
        assertArrayEquals(new double[6], arr(g[1]));
    }

    @Test void gradientOfAConstantOutputIsZeros() {
        Var x = Var.leaf(normal(6, 2));
        assertArrayEquals(new double[2], arr(Autodiff.grad(Var.constant(Tensor.scalar(DType.F64, 1)), new Var[] {x}, null, false)[0]));
    }

    @Test void gradStopsAtRequestedNodesGivingPartialDerivatives() {
        // u = 2v, y = Σ u ⊙ v. Total dy/dv = 4v; asking for u as well holds u fixed: ∂y/∂v = u = 2v.
        Var v = Var.leaf(Tensor.of(new double[] {1, -3}, 2));
        Var u = scale(v, 2);
        Var y = sum(mul(u, v));
        assertArrayEquals(new double[] {4, -12}, arr(Autodiff.grad(y, new Var[] {v}, null, false)[0]));
        assertArrayEquals(new double[] {1, -3}, arr(Autodiff.grad(y, new Var[] {u}, null, false)[0]));
        Var[] both = Autodiff.grad(y, new Var[] {u, v}, null, false);
        assertArrayEquals(new double[] {1, -3}, arr(both[0]));
        assertArrayEquals(new double[] {2, -6}, arr(both[1]));
    }

    @Test void gradOfTheOutputWithRespectToItselfIsTheSeed() {
        Var x = Var.leaf(normal(7, 3));
        Var y = exp(x);
        Tensor seed = normal(8, 3);
        assertArrayEquals(seed.toDoubleArray(), arr(Autodiff.grad(y, new Var[] {y}, Var.constant(seed), false)[0]));
    }

    @Test void firstOrderGradientsAreNotDifferentiableAndCreateGraphOnesAre() {
        Var x = Var.leaf(normal(9, 3));
        Var y = sum(exp(x));
        assertFalse(Autodiff.grad(y, new Var[] {x}, null, false)[0].requiresGrad());
        assertTrue(Autodiff.grad(y, new Var[] {x}, null, true)[0].requiresGrad());
    }

    @Test void gradOfANonScalarWithoutSeedIsRejectedAndNamesTheShape() {
        Var x = Var.leaf(normal(10, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> Autodiff.grad(exp(x), new Var[] {x}, null, false));
        assertTrue(e.getMessage().contains("grad") && e.getMessage().contains("[3]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Autodiff.grad(exp(x), new Var[] {x}, Var.constant(normal(1, 2)), false));
        assertTrue(e2.getMessage().contains("[2]") && e2.getMessage().contains("[3]"), e2.getMessage());
    }

    static void assertMessageNames(String op, String shapeA, String shapeB, Runnable body) {
        var e = assertThrows(IllegalArgumentException.class, body::run);
        String m = e.getMessage();
        assertTrue(m.contains(op) && m.contains(shapeA) && m.contains(shapeB), "message should name " + op + ", " + shapeA + " and " + shapeB + ": " + m);
    }

    @Test void shapeMismatchErrorsNameTheOpAndBothShapes() {
        Var a = Var.leaf(normal(11, 3, 4)), b = Var.leaf(normal(12, 5)), m = Var.leaf(normal(13, 5, 2));
        assertMessageNames("add", "[3, 4]", "[5]", () -> add(a, b));
        assertMessageNames("sub", "[3, 4]", "[5]", () -> sub(a, b));
        assertMessageNames("mul", "[3, 4]", "[5]", () -> mul(a, b));
        assertMessageNames("div", "[3, 4]", "[5]", () -> div(a, b));
        assertMessageNames("where", "[3, 4]", "[5]", () -> where(Tensor.ones(DType.F64, 3, 4), a, b));
        assertMessageNames("matmul", "[3, 4]", "[5, 2]", () -> matmul(a, m));
        assertMessageNames("broadcastTo", "[3, 4]", "[2, 4]", () -> broadcastTo(a, new int[] {2, 4}));
        assertMessageNames("sumTo", "[3, 4]", "[2]", () -> sumTo(a, new int[] {2}));
        assertMessageNames("reshape", "[3, 4]", "[5]", () -> reshape(a, 5));
        assertMessageNames("concat", "[3, 4]", "[5, 2]", () -> concat(0, a, m));
        assertMessageNames("sqDist", "[3, 4]", "[5, 2]", () -> sqDist(a, m));
        assertMessageNames("l1Dist", "[3, 4]", "[5, 2]", () -> l1Dist(a, m));
        assertMessageNames("lseMixture", "[3, 4]", "[5, 2]", () -> lseMixture(a, m, m));
        assertMessageNames("dense", "[3, 4]", "[5, 2]", () -> dense(Activation.TANH, a, m, Var.leaf(normal(14, 2))));
        assertMessageNames("kernelFromSqDist", "h", "[2]", () -> kernelFromSqDist(StationaryKernel.RBF, a, Var.leaf(normal(15, 2))));
    }

    @Test void dtypeMismatchErrorsNameTheOp() {
        var e = assertThrows(IllegalArgumentException.class, () -> add(Var.leaf(Tensor.ones(DType.F32, 2)), Var.leaf(Tensor.ones(DType.F64, 2))));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("f32") && e.getMessage().contains("f64"), e.getMessage());
    }
}
