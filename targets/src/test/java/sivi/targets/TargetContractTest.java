package sivi.targets;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Every registered target: analytic score/HVP overrides agree with the autodiff of the log-density. */
class TargetContractTest {

    static Stream<String> names() { return Targets.all().keySet().stream(); }

    /** Evaluation points: exact draws where available (typical points), else N(0, 0.5²). */
    static Tensor points(Target t, int n) {
        Rng rng = new Rng(11);
        return t.exactSample(rng, n).map(x -> x.cast(DType.F64)).orElseGet(() -> sivi.kernels.Kernels.current().affine(rng.normal(DType.F64, n, t.dim()), 0.5, 0));
    }

    static void assertClose(Tensor want, Tensor got, double rel, String what) {
        double[] a = want.toDoubleArray(), b = got.toDoubleArray();
        assertEquals(a.length, b.length, what);
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++)
            assertEquals(a[i], b[i], rel * (1 + scale), what + " at " + i);
    }

    @ParameterizedTest @MethodSource("names")
    void scoreMatchesAutodiffOfLogDensity(String name) {
        Target t = Targets.create(name);
        Tensor x = points(t, 7);
        Tensor auto = GradMode.with(true, () -> Autodiff.grad(v -> Ops.sum(t.logDensity(v)), x));
        // f64 throughout: the two differ only by rounding (1e-10 relative to the largest entry)
        assertClose(auto, t.scoreValue(x), 1e-10, name + " score");
    }

    @ParameterizedTest @MethodSource("names")
    void hvpMatchesAutodiffOfLogDensity(String name) {
        Target t = Targets.create(name);
        Tensor x = points(t, 5);
        Tensor v = new Rng(5).normal(DType.F64, 5, t.dim());
        Tensor auto = GradMode.with(true, () -> Autodiff.hvp(u -> Ops.sum(t.logDensity(u)), x, v));
        assertClose(auto, t.hvpValue(x, v), 1e-9, name + " hvp");
    }

    @ParameterizedTest @MethodSource("names")
    void hvpMatchesFiniteDifferenceOfScore(String name) {
        Target t = Targets.create(name);
        // score is piecewise constant: FD of it is 0, as is the HVP (checked above)
        assumeFalse(t instanceof LaplaceCompound, "piecewise-constant score");
        // ReLU network: the score jumps where a hidden unit's pre-activation crosses 0, and with
        // ~20k units × 4 points a ±1e-5 step crosses some kink (FD error ~1e3); BnnRegressionTest
        // checks FD along the smooth (output-layer) directions instead.
        assumeFalse(t instanceof BnnRegression, "ReLU kinks within the step");
        Tensor x = points(t, 4);
        Tensor v = new Rng(6).normal(DType.F64, 4, t.dim());
        double h = 1e-5;
        Tensor plus = t.scoreValue(sivi.kernels.Kernels.current().binary(sivi.kernels.Binary.ADD, x, sivi.kernels.Kernels.current().affine(v, h, 0)));
        Tensor minus = t.scoreValue(sivi.kernels.Kernels.current().binary(sivi.kernels.Binary.SUB, x, sivi.kernels.Kernels.current().affine(v, h, 0)));
        Tensor fd = sivi.kernels.Kernels.current().affine(sivi.kernels.Kernels.current().binary(sivi.kernels.Binary.SUB, plus, minus), 1 / (2 * h), 0);
        // central difference: O(h²·|third derivative|) + O(ε/h) ≈ 1e-8 relative for these smooth targets
        assertClose(fd, t.hvpValue(x, v), 1e-5, name + " hvp vs finite differences");
    }

    @ParameterizedTest @MethodSource("names")
    void scoreOpBackwardIsTheHvp(String name) {
        Target t = Targets.create(name);
        Tensor x = points(t, 3);
        Tensor g = new Rng(8).normal(DType.F64, 3, t.dim());
        Var xv = Var.leaf(x);
        Var s = t.score(xv);
        Tensor back = Autodiff.grad(s, new Var[] {xv}, Var.constant(g), false)[0].value();
        assertClose(t.hvpValue(x, g), back, 1e-12, name + " score-op backward");
    }

    @ParameterizedTest @MethodSource("names")
    void logDensityIsFiniteAndShapedPerRow(String name) {
        Target t = Targets.create(name);
        Tensor x = points(t, 6);
        Tensor lp = GradMode.noGrad(() -> t.logDensity(Var.constant(x)).value());
        assertArrayEquals(new int[] {6}, lp.shape());
        for (double v : lp.toDoubleArray()) assertTrue(Double.isFinite(v), name + ": log density " + v);
        assertEquals(t.dim(), t.names().size());
    }
}
