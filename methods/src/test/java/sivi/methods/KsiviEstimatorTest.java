package sivi.methods;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import sivi.autodiff.Autodiff;
import sivi.autodiff.Composite;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.SemiImplicitGaussian;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.nn.Params;
import sivi.targets.Banana;
import sivi.targets.Gaussian;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/**
 * KSIVI's loss and full gradient against an independent composite implementation, and
 * statistical properties of the KSD² estimators (Cheng et al. 2024; docs/algorithms.md#ksivi).
 */
class KsiviEstimatorTest {

    /**
     * The textbook form, from primitives only: the score by differentiating log p with autodiff
     * (createGraph, so the φ-gradient takes a second derivative of log p — no score op), the
     * distances (squared Euclidean, or L1 for Laplace: the N×N×d broadcast) and kernel from
     * {@link Composite}, an explicit N×N Gram D D'ᵀ (masked off the diagonal for U), the median
     * gradient through an explicit one-hot mask.
     */
    static Var compositeLoss(SemiImplicitGaussian q, Params.Bound p, Target t, Rng rng, int n, Ksivi.Estimator e) {
        Family.Draw a = q.sample(p, rng, n);
        Family.Draw b = e.uStatistic() ? a : q.sample(p, rng, n);
        Var da = add(autodiffScore(t, a.x()), div(a.xi(), a.sigma()));
        Var db = e.uStatistic() ? da : add(autodiffScore(t, b.x()), div(b.xi(), b.sigma()));
        Var dist = e.kernel() == StationaryKernel.LAPLACE ? Composite.l1Dist(a.x(), b.x()) : Composite.sqDist(a.x(), b.x());
        double[] dv = dist.value().toDoubleArray();
        double[] sorted = dv.clone();
        Arrays.sort(sorted);
        double med = sorted[(sorted.length - 1) / 2];
        double[] onehot = new double[dv.length];
        for (int i = 0; i < dv.length; i++) if (dv[i] == med) { onehot[i] = 1; break; }
        Var medVar = sum(mul(dist, constant(Tensor.of(DType.F64, onehot, n, n))));
        double logN = Math.log(n + 1);
        Var h = switch (e.kernel()) {
            case RBF -> sqrt(scale(e.detachBandwidth() ? medVar.detach() : medVar, 0.5 / logN));
            case IMQ, LAPLACE -> scale(medVar.detach(), 1 / logN);
        };
        Var k = Composite.kernelFromSqDist(e.kernel(), dist, h);
        Var gram = matmul(da, db, false, true);
        if (e.uStatistic()) {
            double[] mask = new double[n * n];
            Arrays.fill(mask, 1);
            for (int i = 0; i < n; i++) mask[i * n + i] = 0;
            gram = mul(gram, constant(Tensor.of(DType.F64, mask, n, n)));
        }
        return scale(sum(mul(k, gram)), 1.0 / ((double) n * n));
    }

    static Var autodiffScore(Target t, Var x) {
        return Autodiff.grad(sum(t.logDensity(x)), new Var[] {x}, null, true)[0];
    }

    @ParameterizedTest(name = "kernel={0} u={1} detachBandwidth={2}")
    @CsvSource({"RBF,false,false", "RBF,true,false", "RBF,false,true", "IMQ,false,true", "IMQ,true,true", "LAPLACE,false,true", "LAPLACE,true,true"})
    void lossAndFullGradientMatchTheCompositeImplementation(StationaryKernel kernel, boolean u, boolean detach) {
        Target t = new Banana();
        Params params = new Params();
        SemiImplicitGaussian q = SemiImplicitGaussian.create(params, "q", 2, 3, 16, -1.0, -20, new Rng(7), DType.F64);
        Ksivi.Estimator e = new Ksivi.Estimator(kernel, u, detach, false, 0);
        int n = 40;
        Params.Bound p1 = params.bind(), p2 = params.bind();
        Var fused = Ksivi.loss(q, p1, t, new Rng(11), n, e, 1);
        Var comp = compositeLoss(q, p2, t, new Rng(11), n, e);
        // 1e-5 relative: both are exact formulas in f64; they differ only by rounding (different
        // distance formulas, summation orders), which is ~1e-13 relative here.
        assertEquals(comp.item(), fused.item(), 1e-5 * Math.abs(comp.item()));
        Map<String, Tensor> g1 = p1.gradients(fused), g2 = p2.gradients(comp);
        assertEquals(g2.keySet(), g1.keySet());
        for (String name : g2.keySet()) {
            double[] a = g1.get(name).toDoubleArray(), b = g2.get(name).toDoubleArray();
            double diff = 0, norm = 0;
            for (int i = 0; i < a.length; i++) { diff = Math.max(diff, Math.abs(a[i] - b[i])); norm = Math.max(norm, Math.abs(b[i])); }
            assertTrue(norm > 0, name + " has a zero gradient: the check would be vacuous");
            assertTrue(diff <= 1e-5 * norm, name + ": max |fused − composite| = " + diff + " vs max |g| = " + norm);
        }
    }

    /** kernel=laplace is accepted; a non-detached bandwidth is refused for the kernels whose reference detaches it. */
    @Test void kernelOptionsAcceptLaplaceAndRejectAnUndetachedBandwidthForImqAndLaplace() {
        sivi.fit.Options base = sivi.fit.Options.of("batch", "8", "zdim", "2", "hidden", "4");
        assertDoesNotThrow(() -> new Ksivi().init(new Banana(), base.with("kernel", "laplace"), DType.F64, new Rng(1)));
        for (String k : new String[] {"imq", "laplace"}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new Ksivi().init(new Banana(), base.with("kernel", k).with("detach_bandwidth", "false"), DType.F64, new Rng(1)));
            assertTrue(e.getMessage().contains("detach_bandwidth=false needs kernel=gaussian"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new Ksivi().init(new Banana(), base.with("kernel", "cauchy"), DType.F64, new Rng(1)));
        assertTrue(e.getMessage().contains("accepted: gaussian, imq, laplace"), e.getMessage());
    }

    /** The gradient genuinely depends on the HVP path: the hessian_free ablation differs from it. */
    @Test void hessianFreeAblationChangesTheGradient() {
        Target t = new Banana();
        Params params = new Params();
        SemiImplicitGaussian q = SemiImplicitGaussian.create(params, "q", 2, 3, 16, -1.0, -20, new Rng(7), DType.F64);
        Params.Bound p1 = params.bind(), p2 = params.bind();
        Var full = Ksivi.loss(q, p1, t, new Rng(3), 30, new Ksivi.Estimator(StationaryKernel.RBF, false, false, false, 0), 1);
        Var free = Ksivi.loss(q, p2, t, new Rng(3), 30, new Ksivi.Estimator(StationaryKernel.RBF, false, false, true, 0), 1);
        assertEquals(full.item(), free.item(), 1e-12 * Math.abs(full.item()));  // same value
        double[] a = p1.gradients(full).get("q.logvar").toDoubleArray(), b = p2.gradients(free).get("q.logvar").toDoubleArray();
        assertFalse(Arrays.equals(a, b));
    }

    // ------------------------------------------------------------------ properties over replicates

    /**
     * Gaussian target with diagonal covariance, and q set exactly to it with a non-degenerate
     * mixing: μ_φ(z) = mean + A·z₁·e₁ (the ReLU net written as relu(z₁) − relu(−z₁)) and
     * σ² = (VAR₀ − A², VAR₁), so the conditional is not p itself and d(x, z) ≠ 0 per sample.
     */
    private static final double[] MEAN = {0.5, -1.0};
    private static final double[] VAR = {0.8, 1.5};
    private static final double A = 0.6;

    private static Params exactFamily(SemiImplicitGaussian[] out, double shift) {
        Params params = new Params();
        int h = 8;
        out[0] = SemiImplicitGaussian.create(params, "q", 2, 3, h, 0, -20, new Rng(5), DType.F64);
        double[] w0 = new double[3 * h], w1 = new double[h * h], w2 = new double[h * 2];
        w0[0] = 1; w0[1] = -1;                    // h1 = relu(z1), h2 = relu(−z1)
        w1[0] = 1; w1[h + 1] = 1;                 // passed through the second layer
        w2[0] = A; w2[2] = -A;                    // out1 = A·(h1 − h2) = A·z1
        params.put("q.mu.0.weight", Tensor.of(DType.F64, w0, 3, h));
        params.put("q.mu.1.weight", Tensor.of(DType.F64, w1, h, h));
        params.put("q.mu.2.weight", Tensor.of(DType.F64, w2, h, 2));
        params.put("q.mu.0.bias", Tensor.zeros(DType.F64, h));
        params.put("q.mu.1.bias", Tensor.zeros(DType.F64, h));
        params.put("q.mu.2.bias", Tensor.of(DType.F64, new double[] {MEAN[0] + shift, MEAN[1]}, 2));
        params.put("q.logvar", Tensor.of(DType.F64, new double[] {Math.log(VAR[0] - A * A), Math.log(VAR[1])}, 1, 2));
        return params;
    }

    /** {mean, standard error} of R replicate estimates. */
    private static double[] replicates(Params params, SemiImplicitGaussian q, Ksivi.Estimator e, int n, int reps, long seed) {
        Target t = new Gaussian(MEAN, new double[][] {{VAR[0], 0}, {0, VAR[1]}});
        double s = 0, s2 = 0;
        for (int r = 0; r < reps; r++) {
            double v = Ksivi.loss(q, params.bind(x -> false), t, Rng.of(seed, r), n, e, 1).item();
            s += v; s2 += v * v;
        }
        double m = s / reps, var = (s2 / reps - m * m) * reps / (reps - 1);
        return new double[] {m, Math.sqrt(var / reps)};
    }

    /**
     * At q = p the KSD² is 0 and both estimators are unbiased: the replicate mean lies within 3
     * standard errors of 0 (a 0.3% false-alarm rate for a normal mean; the seed is fixed). In
     * particular it is ≥ −SE·3; and away from p it is ≥ −SE and significantly positive.
     */
    @ParameterizedTest(name = "kernel={0} u={1}")
    @CsvSource({"RBF,false", "RBF,true", "LAPLACE,false", "LAPLACE,true"})
    void ksdIsZeroAtTheTargetAndPositiveAwayFromIt(StationaryKernel kernel, boolean u) {
        SemiImplicitGaussian[] q = new SemiImplicitGaussian[1];
        Ksivi.Estimator e = new Ksivi.Estimator(kernel, u, kernel != StationaryKernel.RBF, false, 0);
        double[] at = replicates(exactFamily(q, 0), q[0], e, 50, 400, 1);
        assertTrue(Math.abs(at[0]) <= 3 * at[1], "KSD at q = p: mean " + at[0] + " ± " + at[1]);
        double[] off = replicates(exactFamily(q, 0.7), q[0], e, 50, 100, 2);
        assertTrue(off[0] >= -off[1], "KSD estimate below −SE: " + off[0] + " ± " + off[1]);
        assertTrue(off[0] > 3 * off[1], "KSD does not see a mean shift of 0.7: " + off[0] + " ± " + off[1]);
    }

    /**
     * Vanilla and U-statistic estimate the same KSD²: with a fixed bandwidth (so the kernel is the
     * same function in both) E[vanilla] = N/(N−1)·E[U] (U divides by N² as the reference code).
     * Checked within 3 combined standard errors.
     */
    @Test void vanillaAndUStatisticAgreeInExpectation() {
        SemiImplicitGaussian[] q = new SemiImplicitGaussian[1];
        Params params = exactFamily(q, 0.5);
        int n = 40;
        double[] v = replicates(params, q[0], new Ksivi.Estimator(StationaryKernel.RBF, false, false, false, 1.0), n, 300, 3);
        double[] u = replicates(params, q[0], new Ksivi.Estimator(StationaryKernel.RBF, true, false, false, 1.0), n, 300, 4);
        double uc = u[0] * n / (n - 1.0), use = u[1] * n / (n - 1.0);
        assertTrue(v[0] > 5 * v[1], "test needs a clearly positive KSD: " + v[0] + " ± " + v[1]);
        assertTrue(Math.abs(v[0] - uc) <= 3 * Math.hypot(v[1], use), "vanilla " + v[0] + " ± " + v[1] + " vs U·N/(N−1) " + uc + " ± " + use);
    }
}
