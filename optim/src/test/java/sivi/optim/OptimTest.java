package sivi.optim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Optimisers, schedules, clipping and EMA against the formulas they implement. */
class OptimTest {
    static final double[] THETA0 = {0.5, -1.0, 2.0};
    /** Gradients of three steps (fixed, so trajectories are closed-form). */
    static final double[][] G = {{0.3, -2.0, 1e-3}, {-0.1, -1.0, 4.0}, {0.2, 0.5, 0.05}};

    static Params params() { Params p = new Params(); p.put("w", Tensor.of(THETA0, 3)); return p; }

    static Map<String, Tensor> grad(double[] g) { return Map.of("w", Tensor.of(g, g.length)); }

    static double[] w(Params p) { return p.get("w").toDoubleArray(); }

    // ------------------------------------------------------------ Adam

    /**
     * torch.optim.Adam in closed form after t steps with fixed gradients g_1..g_t:
     * m̂_t = Σ_s β1^{t−s}(1−β1) g_s / (1−β1^t), v̂_t = Σ_s β2^{t−s}(1−β2) g_s² / (1−β2^t),
     * θ_t = θ_{t−1} − lr·m̂_t / (√v̂_t + eps). With AMSGrad √v̂_t uses max_{s≤t} v_s / (1−β2^t).
     */
    static double[] adamExpected(double lr, double b1, double b2, double eps, boolean amsgrad) {
        double[] th = THETA0.clone();
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) {
                double m = 0, vt = 0, vmax = 0;
                for (int s = 1; s <= t; s++) {
                    m += Math.pow(b1, t - s) * (1 - b1) * G[s - 1][i];
                    double vs = 0;
                    for (int r = 1; r <= s; r++) vs += Math.pow(b2, s - r) * (1 - b2) * G[r - 1][i] * G[r - 1][i];
                    vmax = Math.max(vmax, vs);
                    if (s == t) vt = vs;
                }
                double mHat = m / (1 - Math.pow(b1, t));
                double v = amsgrad ? vmax : vt;
                th[i] -= lr * mHat / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
            }
        }
        return th;
    }

    @Test void adamFollowsTheTorchThreeStepTrajectory() {
        Params p = params();
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0, false);
        for (double[] g : G) adam.step(p, grad(g), 0.1);
        assertArrayEquals(adamExpected(0.1, 0.9, 0.999, 1e-8, false), w(p), 1e-15);
    }

    @Test void adamFirstStepMovesEachCoordinateByAboutTheLearningRate() {
        // after bias correction m̂_1 = g, v̂_1 = g²: Δθ = −lr·g/(|g| + eps)
        Params p = params();
        new Adam(0.9, 0.999, 1e-8, 0, false).step(p, grad(G[0]), 0.1);
        for (int i = 0; i < 3; i++) assertEquals(THETA0[i] - 0.1 * G[0][i] / (Math.abs(G[0][i]) + 1e-8), w(p)[i], 1e-15);
    }

    @Test void amsgradUsesTheRunningMaximumOfTheSecondMoment() {
        // β2 = 0.5 makes v fall after the large first gradient, so AMSGrad and Adam part ways
        Params p = params(), q = params();
        Adam ams = new Adam(0.9, 0.5, 1e-8, 0, true), plain = new Adam(0.9, 0.5, 1e-8, 0, false);
        for (double[] g : G) { ams.step(p, grad(g), 0.1); plain.step(q, grad(g), 0.1); }
        assertArrayEquals(adamExpected(0.1, 0.9, 0.5, 1e-8, true), w(p), 1e-15);
        assertArrayEquals(adamExpected(0.1, 0.9, 0.5, 1e-8, false), w(q), 1e-15);
        assertNotEquals(w(p)[1], w(q)[1]);
    }

    @Test void adamWeightDecayAddsLambdaThetaToTheGradient() {
        Params p = params();
        new Adam(0.9, 0.999, 1e-8, 0.1, false).step(p, grad(G[0]), 0.1);
        for (int i = 0; i < 3; i++) {
            double g = G[0][i] + 0.1 * THETA0[i];
            assertEquals(THETA0[i] - 0.1 * g / (Math.abs(g) + 1e-8), w(p)[i], 1e-15);
        }
    }

    @Test void adamRejectsBetasOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new Adam(1.0, 0.9, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.9, -0.1, 1e-8, 0, false));
    }

    // ------------------------------------------------------------ SGD, AdaGradMomentum

    @Test void sgdWithMomentumFollowsTheTorchHeavyBallRecursion() {
        // buf_1 = g_1, buf_t = μ·buf_{t−1} + g_t, θ_t = θ_{t−1} − lr·buf_t
        double mu = 0.9, lr = 0.1;
        Params p = params();
        Sgd sgd = new Sgd(mu);
        for (double[] g : G) sgd.step(p, grad(g), lr);
        for (int i = 0; i < 3; i++) {
            double b1 = G[0][i], b2 = mu * G[0][i] + G[1][i], b3 = mu * mu * G[0][i] + mu * G[1][i] + G[2][i];
            assertEquals(THETA0[i] - lr * (b1 + b2 + b3), w(p)[i], 1e-15);
        }
    }

    @Test void sgdWithoutMomentumIsPlainGradientDescent() {
        Params p = params();
        Sgd sgd = new Sgd(0);
        for (double[] g : G) sgd.step(p, grad(g), 0.1);
        for (int i = 0; i < 3; i++) assertEquals(THETA0[i] - 0.1 * (G[0][i] + G[1][i] + G[2][i]), w(p)[i], 1e-15);
        assertTrue(sgd.state().names().isEmpty());
    }

    /**
     * SGD with Robbins–Monro steps on the noisy quadratic f(x) = x²/2, gradient x + σξ: x_{t+1} = (1 − ρ_t) x_t − ρ_t σ ξ_t
     * is linear in Gaussians, so E x_T² = v_T exactly by v_{t+1} = (1 − ρ_t)² v_t + ρ_t² σ², v_0 = x_0². Theory
     * (Σρ = ∞, Σρ² &lt; ∞) says v_T → 0; a constant step ρ instead stalls at ρσ²/(2 − ρ). The Monte Carlo mean of x_T²
     * over R = 400 independent runs (x_T Gaussian, so sd(x_T²) ≤ √2·v_T + 2|E x_T|·√v_T) is within 4 standard errors of v_T.
     */
    @Test void robbinsMonroStepsDriveSgdOnANoisyQuadraticToTheOptimum() {
        double lr = 0.5, tau = 1, kappa = 0.75, sigma = 1, x0 = 3;
        int steps = 5000, runs = 400;
        LrSchedule rm = LrSchedule.robbinsMonro(lr, tau, kappa);
        double v = x0 * x0, mean = x0;
        for (int t = 0; t < steps; t++) { double r = rm.lr(t); v = (1 - r) * (1 - r) * v + r * r * sigma * sigma; mean *= 1 - r; }
        double sum = 0;
        for (int run = 0; run < runs; run++) {
            Params p = new Params();
            p.put("x", Tensor.of(new double[] {x0}, 1));
            Sgd sgd = new Sgd(0);
            java.util.SplittableRandom noise = new java.util.SplittableRandom(1000 + run);
            for (int t = 0; t < steps; t++) {
                double x = p.get("x").toDoubleArray()[0];
                sgd.step(p, Map.of("x", Tensor.of(new double[] {x + sigma * noise.nextGaussian()}, 1)), rm.lr(t));
            }
            double x = p.get("x").toDoubleArray()[0];
            sum += x * x;
        }
        double se = (Math.sqrt(2) * v + 2 * Math.abs(mean) * Math.sqrt(v)) / Math.sqrt(runs);
        assertEquals(v, sum / runs, 4 * se);
        double floor = lr * sigma * sigma / (2 - lr);   // where a constant step lr stalls
        assertTrue(v < 1e-2 * floor, "v_T = " + v + " should be far below the constant-step floor " + floor);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.robbinsMonro(lr, tau, 0.5), "κ = 0.5: Σρ² diverges");
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.robbinsMonro(lr, tau, 1.1), "κ > 1: Σρ converges");
    }

    @Test void adaGradMomentumFollowsTheSvgdReferenceRule() {
        // h_1 = g_1², h_t = α h_{t−1} + (1−α) g_t², θ −= lr·g_t / (fudge + √h_t)
        double a = 0.9, fudge = 1e-6, lr = 0.05;
        Params p = params();
        AdaGradMomentum opt = new AdaGradMomentum(a, fudge);
        for (double[] g : G) opt.step(p, grad(g), lr);
        for (int i = 0; i < 3; i++) {
            double h1 = G[0][i] * G[0][i], h2 = a * h1 + (1 - a) * G[1][i] * G[1][i], h3 = a * h2 + (1 - a) * G[2][i] * G[2][i];
            double want = THETA0[i] - lr * G[0][i] / (fudge + Math.sqrt(h1)) - lr * G[1][i] / (fudge + Math.sqrt(h2)) - lr * G[2][i] / (fudge + Math.sqrt(h3));
            assertEquals(want, w(p)[i], 1e-14);
        }
    }

    @Test void optimisersKeepTheParameterDtypeAndShape() {
        Params p = new Params();
        p.put("w", Tensor.of(DType.F32, THETA0, 3, 1));
        new Adam(0.9, 0.999, 1e-8, 0, false).step(p, Map.of("w", Tensor.of(DType.F32, G[0], 3, 1)), 0.1);
        assertEquals(DType.F32, p.get("w").dtype());
        assertArrayEquals(new int[] {3, 1}, p.get("w").shape());
    }

    /** An f32 parameter held as a view (offset 1) with an f64 gradient view: the f64 update of the widened values, rounded once. */
    @Test void adamReadsF32ViewsInPlaceAndRoundsTheF64UpdateOnce() {
        double[] raw = {9, 0.1f, -1.7f, 2.3f, 9};
        Params p = new Params();
        p.put("w", Tensor.of(DType.F32, raw, 5).slice(0, 1, 4));
        Tensor g = Tensor.of(new double[] {7, G[0][0], G[0][1], G[0][2], 7}, 5).slice(0, 1, 4);
        new Adam(0.9, 0.999, 1e-8, 0, false).step(p, Map.of("w", g), 0.1);
        Params q = new Params();
        q.put("w", Tensor.of(new double[] {raw[1], raw[2], raw[3]}, 3));
        new Adam(0.9, 0.999, 1e-8, 0, false).step(q, grad(G[0]), 0.1);
        assertEquals(DType.F32, p.get("w").dtype());
        for (int i = 0; i < 3; i++) assertEquals((float) q.get("w").get(i), (float) p.get("w").get(i), 0.0f, "element " + i);
    }

    // ------------------------------------------------------------ state round trip

    /** Two steps, checkpoint, then one more step on the original and on a fresh optimiser loaded from the checkpoint. */
    static void assertStateRoundTripContinuesIdentically(Supplier<Optimizer> make) {
        Params p = new Params();
        p.put("a.weight", Tensor.of(THETA0, 3));
        p.put("b", Tensor.of(new double[] {1, 2}, 2));
        Optimizer opt = make.get();
        for (int s = 0; s < 2; s++) {
            Map<String, Tensor> g = new LinkedHashMap<>();
            g.put("a.weight", Tensor.of(G[s], 3));
            g.put("b", Tensor.of(new double[] {G[s][0], -G[s][1]}, 2));
            opt.step(p, g, 0.1);
        }
        Params saved = opt.state();
        Map<String, double[]> snapshot = new LinkedHashMap<>();
        for (String k : saved.names()) snapshot.put(k, saved.get(k).toDoubleArray());
        Params q = p.copy();
        Optimizer resumed = make.get();
        resumed.load(saved);
        assertEquals(new java.util.HashSet<>(saved.names()), new java.util.HashSet<>(resumed.state().names()));
        Map<String, Tensor> g3 = new LinkedHashMap<>();
        g3.put("a.weight", Tensor.of(G[2], 3));
        g3.put("b", Tensor.of(new double[] {0.7, 0.1}, 2));
        opt.step(p, g3, 0.1);
        resumed.step(q, g3, 0.1);
        for (String k : p.names()) assertArrayEquals(p.get(k).toDoubleArray(), q.get(k).toDoubleArray(), 0, k);
        // the checkpoint is a snapshot: stepping either optimiser did not write into it
        for (String k : saved.names()) assertArrayEquals(snapshot.get(k), saved.get(k).toDoubleArray(), 0, k);
    }

    /**
     * Adam's update split over two threads (above {@link Adam#MIN_PER_PART} elements per thread) is the one-thread update
     * bit for bit — f32 and f64 parameters, weight decay and AMSGrad, an odd size that splits unevenly, five steps.
     */
    @Test void adamSplitOverThreadsIsTheOneThreadUpdateBitForBit() {
        int big = 2 * Adam.MIN_PER_PART + 3;
        var r = new java.util.SplittableRandom(9);
        double[] w0 = new double[big], b0 = new double[11];
        for (int i = 0; i < big; i++) w0[i] = r.nextGaussian();
        for (int i = 0; i < 11; i++) b0[i] = r.nextGaussian();
        Params[] out = new Params[2];
        for (int threads : new int[] {1, 2}) {
            try (sivi.kernels.Backend be = sivi.kernels.Backends.create("simd", threads)) {
                out[threads - 1] = sivi.kernels.Kernels.with(be, () -> {
                    Params p = new Params();
                    p.put("w", Tensor.of(DType.F32, w0, big));
                    p.put("b", Tensor.of(b0, 11));
                    Adam adam = new Adam(0.9, 0.99, 1e-8, 0.01, true);
                    var rg = new java.util.SplittableRandom(3);
                    for (int step = 0; step < 5; step++) {
                        Map<String, Tensor> g = new LinkedHashMap<>();
                        double[] gw = new double[big], gb = new double[11];
                        for (int i = 0; i < big; i++) gw[i] = rg.nextGaussian();
                        for (int i = 0; i < 11; i++) gb[i] = rg.nextGaussian();
                        g.put("w", Tensor.of(DType.F32, gw, big));
                        g.put("b", Tensor.of(gb, 11));
                        adam.step(p, g, 1e-2);
                    }
                    return p;
                });
            }
        }
        for (String name : new String[] {"w", "b"}) {
            double[] one = out[0].get(name).toDoubleArray(), two = out[1].get(name).toDoubleArray();
            assertEquals(DType.F32, out[1].get("w").dtype());
            for (int i = 0; i < one.length; i++) assertEquals(Double.doubleToRawLongBits(one[i]), Double.doubleToRawLongBits(two[i]), name + "[" + i + "]");
            assertNotEquals(w0[0], out[0].get("w").toDoubleArray()[0], "the parameters moved");
        }
    }

    @Test void adamStateRoundTripContinuesIdentically() { assertStateRoundTripContinuesIdentically(() -> new Adam(0.9, 0.999, 1e-8, 0.01, false)); }

    @Test void amsgradStateRoundTripContinuesIdentically() { assertStateRoundTripContinuesIdentically(() -> new Adam(0.9, 0.5, 1e-8, 0, true)); }

    @Test void sgdMomentumStateRoundTripContinuesIdentically() { assertStateRoundTripContinuesIdentically(() -> new Sgd(0.9)); }

    @Test void adaGradMomentumStateRoundTripContinuesIdentically() { assertStateRoundTripContinuesIdentically(AdaGradMomentum::reference); }

    // ------------------------------------------------------------ schedules

    @Test void stepLrDecaysByGammaEveryStepSizeIterations() {
        LrSchedule s = LrSchedule.step(0.1, 0.9, 10);
        assertEquals(0.1, s.lr(0), 0);
        assertEquals(0.1, s.lr(9), 0);
        assertEquals(0.1 * 0.9, s.lr(10), 1e-17);
        assertEquals(0.1 * 0.9 * 0.9, s.lr(25), 1e-17);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(0.1, 0.9, 0));
    }

    @Test void exponentialScheduleDecaysContinuously() {
        LrSchedule s = LrSchedule.exponential(0.001, 0.75, 100);
        assertEquals(0.001, s.lr(0), 0);
        assertEquals(0.00075, s.lr(100), 1e-18);
        assertEquals(0.001 * Math.sqrt(0.75), s.lr(50), 1e-18);
        assertEquals(0.001 * 0.75 * 0.75, s.lr(200), 1e-18);
    }

    @Test void warmupRampsLinearlyToTheBaseScheduleThenFollowsIt() {
        LrSchedule s = LrSchedule.constant(1.0).withWarmup(4);
        assertEquals(0.25, s.lr(0), 0);
        assertEquals(0.5, s.lr(1), 0);
        assertEquals(1.0, s.lr(3), 0);
        assertEquals(1.0, s.lr(4), 0);
        LrSchedule d = LrSchedule.step(0.1, 0.5, 2).withWarmup(2);
        assertEquals(0.05, d.lr(0), 1e-17);
        assertEquals(0.1, d.lr(1), 1e-17);
        assertEquals(0.05, d.lr(2), 1e-17);
        assertEquals(0.1, LrSchedule.constant(0.1).withWarmup(0).lr(0), 0);
    }

    // ------------------------------------------------------------ clipping and EMA

    @Test void gradClipScalesByMaxOverNormWhenTheNormExceedsIt() {
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("a", Tensor.of(new double[] {3, 0}, 2));
        g.put("b", Tensor.of(new double[] {4}, 1));
        assertEquals(5, GradClip.norm(g), 1e-15);
        Map<String, Tensor> c = GradClip.byGlobalNorm(g, 1);
        double coef = 1 / (5 + 1e-6);
        assertArrayEquals(new double[] {3 * coef, 0}, c.get("a").toDoubleArray(), 1e-16);
        assertArrayEquals(new double[] {4 * coef}, c.get("b").toDoubleArray(), 1e-16);
        assertSame(g, GradClip.byGlobalNorm(g, 10), "no clipping below the threshold");
        assertArrayEquals(new double[] {3, 0}, g.get("a").toDoubleArray(), "input untouched");
    }

    @Test void emaAveragesWithDecayAfterCopyingTheFirstValue() {
        Ema ema = new Ema(0.9);
        assertNull(ema.averaged());
        Params p = new Params();
        p.put("w", Tensor.of(new double[] {1}, 1));
        ema.update(p);
        p.put("w", Tensor.of(new double[] {2}, 1));
        assertEquals(1, ema.averaged().get("w").item(), 0, "the first update copies; later writes to params do not leak in");
        ema.update(p);
        assertEquals(1.1, ema.averaged().get("w").item(), 1e-15);
        p.put("w", Tensor.of(new double[] {3}, 1));
        ema.update(p);
        assertEquals(0.9 * 1.1 + 0.1 * 3, ema.averaged().get("w").item(), 1e-15);
        Ema resumed = new Ema(0.9);
        resumed.load(ema.averaged());
        ema.update(p);
        resumed.update(p);
        assertEquals(ema.averaged().get("w").item(), resumed.averaged().get("w").item(), 0);
        assertThrows(IllegalArgumentException.class, () -> new Ema(1.0));
    }
}
