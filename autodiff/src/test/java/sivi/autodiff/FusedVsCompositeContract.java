package sivi.autodiff;

import static sivi.autodiff.GradCheck.assertClose;
import static sivi.autodiff.GradCheck.checkHvp;
import static sivi.autodiff.Ops.*;

import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Each fused op against its composite twin ({@link Composite}): value, first-order gradient (the
 * fast kernel path and the recorded path), and the Hessian-vector product of a scalar function
 * built on it.
 *
 * <p>Tolerances, normwise (max |diff| ≤ rtol·max |want|). F64: 1e-10 — both sides are exact
 * formulas evaluated with unit roundoff 1.1e-16, differing only in operation order over ~10 ops
 * and in the ||x||² + ||y||² − 2x·y cancellation of the composite sqDist (a few ulps of ||x||²);
 * 1e-10 leaves five decades. F32: 1e-5 — the fused kernels accumulate in double and round once,
 * the composites round to float (u = 6e-8) after each of ~10 primitives, and the sqDist
 * cancellation amplifies by ||x||²/D ~ 10: 10·10·6e-8 ≈ 6e-6.
 */
abstract class FusedVsCompositeContract {
    abstract Backend backend();

    <T> T on(java.util.concurrent.Callable<T> body) { return Kernels.with(backend(), body); }

    static double rtol(DType dt) { return dt == DType.F64 ? 1e-10 : 1e-5; }

    /** Values and gradients (fast path, createGraph = false, and recorded path, createGraph = true) of fused vs composite. */
    void assertTwins(String what, DType dt, Function<Var[], Var> fused, Function<Var[], Var> composite, Tensor... inputs64) {
        Tensor[] inputs = new Tensor[inputs64.length];
        for (int i = 0; i < inputs.length; i++) inputs[i] = inputs64[i].cast(dt);
        on(() -> {
            Var[] a = leaves(inputs), b = leaves(inputs);
            Var fa = fused.apply(a), fb = composite.apply(b);
            assertClose(what + " " + dt + ": value", fb.value(), fa.value(), rtol(dt), 0);
            Tensor w = new Rng(7).normal(dt, fa.shape());
            Var ya = sum(mul(fa, Var.constant(w))), yb = sum(mul(fb, Var.constant(w)));
            for (boolean createGraph : new boolean[] {false, true}) {
                Var[] ga = Autodiff.grad(ya, a, null, createGraph), gb = Autodiff.grad(yb, b, null, createGraph);
                for (int i = 0; i < ga.length; i++)
                    assertClose(what + " " + dt + ": gradient " + i + " (createGraph " + createGraph + ")", gb[i].value(), ga[i].value(), rtol(dt), 0);
            }
            return null;
        });
    }

    static Var[] leaves(Tensor[] ts) {
        Var[] vs = new Var[ts.length];
        for (int i = 0; i < ts.length; i++) vs[i] = Var.leaf(ts[i]);
        return vs;
    }

    static Tensor normal(long seed, int... shape) { return new Rng(seed).normal(DType.F64, shape); }

    @ParameterizedTest @EnumSource(DType.class)
    void sqDistAgreesWithItsCompositeTwin(DType dt) {
        assertTwins("sqDist", dt, v -> sqDist(v[0], v[1]), v -> Composite.sqDist(v[0], v[1]), normal(1, 6, 3), normal(2, 5, 3));
    }

    @ParameterizedTest @EnumSource(DType.class)
    void l1DistAgreesWithItsCompositeTwin(DType dt) {
        assertTwins("l1Dist", dt, v -> l1Dist(v[0], v[1]), v -> Composite.l1Dist(v[0], v[1]), normal(1, 6, 3), normal(2, 5, 3));
        assertTwins("LAPLACE of l1Dist", dt, v -> kernelFromSqDist(StationaryKernel.LAPLACE, l1Dist(v[0], v[1]), v[2]),
                v -> Composite.kernelFromSqDist(StationaryKernel.LAPLACE, Composite.l1Dist(v[0], v[1]), v[2]), normal(4, 4, 2), normal(5, 3, 2), Tensor.of(new double[] {0.9}, 1));
    }

    @ParameterizedTest @EnumSource(DType.class)
    void kernelFromSqDistAgreesWithItsCompositeTwinForEveryKernel(DType dt) {
        Tensor d2 = new Rng(3).uniform(DType.F64, 5, 4);
        for (StationaryKernel k : StationaryKernel.values()) {
            assertTwins(k + " D,h", dt, v -> kernelFromSqDist(k, v[0], v[1]), v -> Composite.kernelFromSqDist(k, v[0], v[1]),
                    GradCheck.axpy(d2, d2, 2), Tensor.scalar(DType.F64, 1.3));
            assertTwins(k + " of sqDist", dt, v -> kernelFromSqDist(k, sqDist(v[0], v[1]), v[2]),
                    v -> Composite.kernelFromSqDist(k, Composite.sqDist(v[0], v[1]), v[2]), normal(4, 4, 2), normal(5, 3, 2), Tensor.of(new double[] {0.9}, 1));
        }
    }

    /** Both gradient paths (fast and recorded), also with aliased inputs: x = y, a = b (U-statistic) and all four the same Var. */
    @ParameterizedTest @EnumSource(DType.class)
    void ksdQuadraticAgreesWithItsCompositeTwinForEveryKernel(DType dt) {
        Tensor x = normal(26, 6, 2), y = normal(27, 5, 2), a = normal(28, 6, 3), b = normal(29, 5, 3), h = Tensor.of(new double[] {0.9}, 1);
        for (StationaryKernel k : StationaryKernel.values()) {
            assertTwins("ksdQuadratic " + k, dt, v -> ksdQuadratic(k, v[0], v[1], v[2], v[3], v[4]),
                    v -> Composite.ksdQuadratic(k, v[0], v[1], v[2], v[3], v[4]), x, y, a, b, h);
            assertTwins("ksdQuadratic " + k + " (x, x, a, a)", dt, v -> ksdQuadratic(k, v[0], v[0], v[1], v[1], v[2]),
                    v -> Composite.ksdQuadratic(k, v[0], v[0], v[1], v[1], v[2]), x, normal(30, 6, 2), h);
            // F64 only: with a = b = x, p = x_n·x_m changes sign and the h-gradient Σ p·t·D cancels to a
            // few % of Σ|terms|, beyond the normwise F32 bound of float row sums; aliasing is exact arithmetic
            if (dt == DType.F64) assertTwins("ksdQuadratic " + k + " (x, x, x, x)", dt, v -> ksdQuadratic(k, v[0], v[0], v[0], v[0], v[1]),
                    v -> Composite.ksdQuadratic(k, v[0], v[0], v[0], v[0], v[1]), x, h);
        }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void lseMixtureAgreesWithItsCompositeTwinPerComponentAndShared(DType dt) {
        Tensor x = normal(6, 7, 3), mu = normal(7, 4, 3);
        Tensor ls = GradCheck.axpy(Tensor.zeros(DType.F64, 4, 3), normal(8, 4, 3), 0.3);
        Tensor ls1 = GradCheck.axpy(Tensor.zeros(DType.F64, 1, 3), normal(9, 1, 3), 0.3);
        assertTwins("lseMixture K×d", dt, v -> lseMixture(v[0], v[1], v[2]), v -> Composite.lseMixture(v[0], v[1], v[2]), x, mu, ls);
        assertTwins("lseMixture 1×d", dt, v -> lseMixture(v[0], v[1], v[2]), v -> Composite.lseMixture(v[0], v[1], v[2]), x, mu, ls1);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void denseAgreesWithItsCompositeTwinForEveryActivation(DType dt) {
        for (Activation act : Activation.values()) {
            assertTwins("dense " + act, dt, v -> dense(act, v[0], v[1], v[2]), v -> Composite.dense(act, v[0], v[1], v[2]),
                    normal(10, 6, 3), normal(11, 3, 4), normal(12, 4));
            assertTwins("dense " + act + " bias 1×O", dt, v -> dense(act, v[0], v[1], v[2]), v -> Composite.dense(act, v[0], v[1], v[2]),
                    normal(10, 6, 3), normal(11, 3, 4), normal(12, 1, 4));
        }
    }

    // ------------------------------------------------------------ second order

    /** H·v of the fused-op function against the composite one (1e-10) and against finite differences. */
    void assertHvpTwins(String what, Function<Var, Var> fused, Function<Var, Var> composite, Tensor x) {
        on(() -> {
            Rng rng = new Rng(13);
            for (int k = 0; k < 2; k++) {
                Tensor v = rng.normal(DType.F64, x.shape());
                assertClose(what + ": H·v fused vs composite", Autodiff.hvp(composite, x, v), Autodiff.hvp(fused, x, v), 1e-10, 0);
            }
            checkHvp(what + " (fused)", fused, x, 14, 2);
            return null;
        });
    }

    @Test void hvpOfAnRbfKernelSumOnFusedOpsAgreesWithTheCompositeTwinAndFiniteDifferences() {
        Tensor y = normal(15, 4, 2);
        for (StationaryKernel k : StationaryKernel.values()) {
            assertHvpTwins(k + " Σ k(x, y), fixed h",
                    x -> sum(kernelFromSqDist(k, sqDist(x, Var.constant(y)), Ops.scalar(DType.F64, 1.2))),
                    x -> sum(Composite.kernelFromSqDist(k, Composite.sqDist(x, Var.constant(y)), Ops.scalar(DType.F64, 1.2))), normal(16, 5, 2));
            assertHvpTwins(k + " Σ k(x, x), median bandwidth",
                    x -> { Var d = sqDist(x, x); return sum(kernelFromSqDist(k, d, addScalar(median(d), 0.5))); },
                    x -> { Var d = Composite.sqDist(x, x); return sum(Composite.kernelFromSqDist(k, d, addScalar(median(d), 0.5))); }, normal(17, 5, 2));
        }
    }

    /** Second order through l1Dist (the recorded path is the composite twin; |·|'' = 0 away from ties). */
    @Test void hvpOfALaplaceKernelSumOnL1DistancesAgreesWithTheCompositeTwinAndFiniteDifferences() {
        Tensor y = normal(15, 4, 2);
        StationaryKernel k = StationaryKernel.LAPLACE;
        assertHvpTwins("Laplace Σ k(x, y), fixed h",
                x -> sum(kernelFromSqDist(k, l1Dist(x, Var.constant(y)), Ops.scalar(DType.F64, 1.2))),
                x -> sum(Composite.kernelFromSqDist(k, Composite.l1Dist(x, Var.constant(y)), Ops.scalar(DType.F64, 1.2))), normal(16, 5, 2));
        assertHvpTwins("Laplace Σ k(x, x), median bandwidth",
                x -> { Var d = l1Dist(x, x); return sum(kernelFromSqDist(k, d, addScalar(median(d), 0.5))); },
                x -> { Var d = Composite.l1Dist(x, x); return sum(Composite.kernelFromSqDist(k, d, addScalar(median(d), 0.5))); }, normal(17, 5, 2));
    }

    /**
     * Second order through ksdQuadratic, shaped like KSIVI: a = b = a function of x (as the score
     * difference is), x = y (U-statistic) or against a fixed batch, fixed or median bandwidth.
     */
    @Test void hvpOfKsdQuadraticAgreesWithTheCompositeTwinAndFiniteDifferences() {
        Tensor y = normal(31, 4, 2), b = normal(32, 4, 2);
        for (StationaryKernel k : StationaryKernel.values()) {
            Function<Var, Var> dist = x -> k == StationaryKernel.LAPLACE ? l1Dist(x, x) : sqDist(x, x);
            assertHvpTwins(k + " ksdQuadratic(x, y, tanh x, b), fixed h",
                    x -> ksdQuadratic(k, x, Var.constant(y), tanh(x), Var.constant(b), Ops.scalar(DType.F64, 1.2)),
                    x -> Composite.ksdQuadratic(k, x, Var.constant(y), tanh(x), Var.constant(b), Ops.scalar(DType.F64, 1.2)), normal(33, 5, 2));
            assertHvpTwins(k + " ksdQuadratic(x, x, tanh x, tanh x), median bandwidth",
                    x -> { Var d = tanh(x); return ksdQuadratic(k, x, x, d, d, addScalar(median(dist.apply(x)), 0.5)); },
                    x -> { Var d = tanh(x); return Composite.ksdQuadratic(k, x, x, d, d, addScalar(median(dist.apply(x)), 0.5)); }, normal(34, 5, 2));
        }
    }

    @Test void hvpOfAnLseMixtureSumAgreesWithTheCompositeTwinAndFiniteDifferences() {
        Tensor mu = normal(18, 3, 2), ls = GradCheck.axpy(Tensor.zeros(DType.F64, 3, 2), normal(19, 3, 2), 0.3);
        Tensor x = normal(20, 6, 2);
        assertHvpTwins("Σ lseMixture w.r.t. x",
                p -> sum(lseMixture(p, Var.constant(mu), Var.constant(ls))), p -> sum(Composite.lseMixture(p, Var.constant(mu), Var.constant(ls))), x);
        assertHvpTwins("Σ lseMixture w.r.t. mu",
                p -> sum(lseMixture(Var.constant(x), p, Var.constant(ls))), p -> sum(Composite.lseMixture(Var.constant(x), p, Var.constant(ls))), mu);
        assertHvpTwins("Σ lseMixture w.r.t. shared logSigma",
                p -> sum(lseMixture(Var.constant(x), Var.constant(mu), p)), p -> sum(Composite.lseMixture(Var.constant(x), Var.constant(mu), p)), ls.slice(0, 0, 1).contiguous());
    }

    @ParameterizedTest @EnumSource(Activation.class)
    void hvpOfADenseMlpOutputAgreesWithTheCompositeTwinAndFiniteDifferences(Activation act) {
        Tensor w1 = normal(21, 3, 5), b1 = normal(22, 5), w2 = normal(23, 5, 2), b2 = normal(24, 2);
        Function<Function<Var[], Var>, Function<Var, Var>> net = layer -> x -> {
            Var h = layer.apply(new Var[] {x, Var.constant(w1), Var.constant(b1)});
            return sum(square(Ops.dense(Activation.TANH, h, Var.constant(w2), Var.constant(b2))));
        };
        Function<Var, Var> fused = net.apply(v -> dense(act, v[0], v[1], v[2]));
        Function<Var, Var> composite = x -> sum(square(Composite.dense(Activation.TANH,
                Composite.dense(act, x, Var.constant(w1), Var.constant(b1)), Var.constant(w2), Var.constant(b2))));
        assertHvpTwins("MLP " + act + " w.r.t. its input", fused, composite, normal(25, 4, 3));
        Tensor x = normal(25, 4, 3);
        assertHvpTwins("MLP " + act + " w.r.t. the first weight",
                w -> sum(square(dense(Activation.TANH, dense(act, Var.constant(x), w, Var.constant(b1)), Var.constant(w2), Var.constant(b2)))),
                w -> sum(square(Composite.dense(Activation.TANH, Composite.dense(act, Var.constant(x), w, Var.constant(b1)), Var.constant(w2), Var.constant(b2)))), w1);
    }
}
