package sivi.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sivi.autodiff.GradCheck.check;
import static sivi.autodiff.GradCheck.checkOp;
import static sivi.autodiff.Ops.*;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * First-order gradient checks (central differences in F64) of every op in {@link Ops}, run on
 * one backend. Each backend gets a subclass.
 */
abstract class OpsGradientContract {
    abstract Backend backend();

    void on(Runnable body) { Kernels.run(backend(), body); }


    static Tensor normal(long seed, int... shape) { return new Rng(seed).normal(DType.F64, shape); }

    /** Uniform in [lo, hi). */
    static Tensor uniform(long seed, double lo, double hi, int... shape) {
        double[] u = new Rng(seed).uniform(DType.F64, shape).toDoubleArray();
        for (int i = 0; i < u.length; i++) u[i] = lo + (hi - lo) * u[i];
        return Tensor.of(u, shape);
    }

    /** Normal draws pushed at least 0.2 away from zero (kinks of relu/abs, poles of 1/x). */
    static Tensor awayFromZero(long seed, int... shape) {
        double[] z = normal(seed, shape).toDoubleArray();
        for (int i = 0; i < z.length; i++) z[i] = Math.copySign(0.2 + Math.abs(z[i]), z[i]);
        return Tensor.of(z, shape);
    }

    static Tensor t(double... v) { return Tensor.of(v, v.length); }

    // ------------------------------------------------------------ binary with broadcasting

    static final int[][][] BROADCAST = {
        {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{4}, {3, 4}}, {{3, 4}, {3, 1}}, {{3, 1}, {3, 4}},
        {{3, 4}, {}}, {{}, {3, 4}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}},
    };

    @Test void addSubMulDivGradientsMatchFiniteDifferencesUnderBroadcasting() {
        on(() -> {
            for (int[][] s : BROADCAST) {
                Tensor a = normal(1, s[0]), b = normal(2, s[1]), bPos = uniform(3, 0.5, 2, s[1]);
                String sh = java.util.Arrays.toString(s[0]) + " with " + java.util.Arrays.toString(s[1]);
                checkOp("add " + sh, x -> add(x[0], x[1]), a, b);
                checkOp("sub " + sh, x -> sub(x[0], x[1]), a, b);
                checkOp("mul " + sh, x -> mul(x[0], x[1]), a, b);
                checkOp("div " + sh, x -> div(x[0], x[1]), a, bPos);
            }
        });
    }

    @Test void broadcastBinaryGradientHasTheInputShape() {
        on(() -> {
            Var a = Var.leaf(normal(1, 3, 4)), b = Var.leaf(normal(2, 3, 1)), c = Var.leaf(normal(3));
            Var[] g = Autodiff.grad(sum(mul(add(a, b), c)), new Var[] {a, b, c}, null, false);
            GradCheck.assertShape("a", new int[] {3, 4}, g[0].shape());
            GradCheck.assertShape("b", new int[] {3, 1}, g[1].shape());
            GradCheck.assertShape("c", new int[] {}, g[2].shape());
        });
    }

    @Test void maximumAndMinimumGradientsMatchFiniteDifferencesAwayFromTies() {
        on(() -> {
            Tensor a = normal(4, 3, 4);
            Tensor b = GradCheck.axpy(a, awayFromZero(5, 3, 4), 1); // |a − b| ≥ 0.2: no tie within h
            checkOp("maximum", x -> maximum(x[0], x[1]), a, b);
            checkOp("minimum", x -> minimum(x[0], x[1]), a, b);
            Tensor row = t(-0.7, 0.3, 1.1, -2.0);
            Tensor m = normal(6, 3, 4);
            checkOp("maximum broadcast [3,4] with [4]", x -> maximum(x[0], x[1]), GradCheck.axpy(m, Tensor.full(DType.F64, 0.05, 3, 4), 0), row);
        });
    }

    @Test void maximumSendsTheGradientToTheLargerArgument() {
        on(() -> {
            Var a = Var.leaf(t(1, 5)), b = Var.leaf(t(3, 2));
            Var[] g = Autodiff.grad(sum(maximum(a, b)), new Var[] {a, b}, null, false);
            assertArrayEquals(new double[] {0, 1}, g[0].value());
            assertArrayEquals(new double[] {1, 0}, g[1].value());
        });
    }

    @Test void whereGradientGoesToTheSelectedBranchWithBroadcasting() {
        on(() -> {
            Tensor cond = Tensor.of(new double[] {1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1}, 3, 4);
            checkOp("where", x -> where(cond, x[0], x[1]), normal(7, 3, 4), normal(8, 3, 4));
            checkOp("where broadcast", x -> where(cond, x[0], x[1]), normal(7, 4), normal(8, 3, 1));
        });
    }

    // ------------------------------------------------------------ scalar arithmetic and unary

    @Test void affineScaleAddScalarNegGradientsMatchFiniteDifferences() {
        on(() -> {
            Tensor x = normal(9, 3, 4);
            checkOp("affine", v -> affine(v[0], -1.7, 0.3), x);
            checkOp("scale", v -> scale(v[0], 2.5), x);
            checkOp("addScalar", v -> addScalar(v[0], 4), x);
            checkOp("neg", v -> neg(v[0]), x);
        });
    }

    @ParameterizedTest @ValueSource(doubles = {-2, -0.5, 0.5, 1, 1.5, 2, 3})
    void powGradientMatchesFiniteDifferencesOnPositiveInputs(double p) {
        on(() -> checkOp("pow " + p, v -> pow(v[0], p), uniform(10, 0.5, 2, 3, 4)));
    }

    @Test void powWithIntegerExponentIsDifferentiableOnNegativeInputs() {
        on(() -> checkOp("pow 3", v -> pow(v[0], 3), normal(11, 3, 4)));
    }

    @Test void smoothUnaryGradientsMatchFiniteDifferences() {
        on(() -> {
            Tensor x = normal(12, 3, 4);
            checkOp("exp", v -> exp(v[0]), x);
            checkOp("log", v -> log(v[0]), uniform(13, 0.3, 3, 3, 4));
            checkOp("log1p", v -> log1p(v[0]), uniform(14, -0.5, 3, 3, 4));
            checkOp("expm1", v -> expm1(v[0]), x);
            checkOp("tanh", v -> tanh(v[0]), x);
            checkOp("sigmoid", v -> sigmoid(v[0]), scale(Var.constant(x), 3).value());
            checkOp("softplus", v -> softplus(v[0]), scale(Var.constant(x), 3).value());
            checkOp("silu", v -> silu(v[0]), scale(Var.constant(x), 3).value());
            checkOp("sqrt", v -> sqrt(v[0]), uniform(15, 0.3, 3, 3, 4));
            checkOp("square", v -> square(v[0]), x);
            checkOp("reciprocal", v -> reciprocal(v[0]), awayFromZero(16, 3, 4));
        });
    }

    @Test void reluAndAbsGradientsMatchFiniteDifferencesAwayFromZero() {
        on(() -> {
            Tensor x = awayFromZero(17, 3, 4);
            checkOp("relu", v -> relu(v[0]), x);
            checkOp("abs", v -> abs(v[0]), x);
        });
    }

    @Test void softplusIsFiniteAndHasTheSigmoidGradientAtLargeMagnitudes() {
        on(() -> {
            Var x = Var.leaf(t(-800, -40, 40, 800));
            Var y = softplus(x);
            double[] v = y.value().toDoubleArray();
            assertEquals(0, v[0], 0);
            assertEquals(Math.exp(-40), v[1], 1e-30);
            assertEquals(40, v[2], 1e-14);
            assertEquals(800, v[3], 0);
            double[] g = Autodiff.grad(sum(y), new Var[] {x}, null, false)[0].value().toDoubleArray();
            assertEquals(0, g[0], 0);
            assertEquals(Math.exp(-40), g[1], 1e-30);
            assertEquals(1, g[2], 1e-16);
            assertEquals(1, g[3], 0);
            checkOp("softplus at ±30", w -> softplus(w[0]), t(-30, -25, 25, 30));
        });
    }

    // ------------------------------------------------------------ reductions

    @Test void sumGradientMatchesFiniteDifferencesForEveryAxisAndKeepDim() {
        on(() -> {
            Tensor x = normal(18, 2, 3, 4);
            for (int axis : new int[] {0, 1, 2, -1})
                for (boolean keep : new boolean[] {true, false}) {
                    checkOp("sum axis " + axis + " keepDim " + keep, v -> sum(v[0], axis, keep), x);
                    checkOp("mean axis " + axis + " keepDim " + keep, v -> mean(v[0], axis, keep), x);
                }
            checkOp("sum all", v -> sum(v[0]), x);
            checkOp("mean all", v -> mean(v[0]), x);
        });
    }

    @Test void sumKeepDimControlsTheOutputRank() {
        on(() -> {
            Var x = Var.constant(normal(18, 2, 3, 4));
            GradCheck.assertShape("keep", new int[] {2, 1, 4}, sum(x, 1, true).shape());
            GradCheck.assertShape("drop", new int[] {2, 4}, sum(x, 1, false).shape());
            GradCheck.assertShape("all", new int[] {}, sum(x).shape());
        });
    }

    @Test void maxGradientMatchesFiniteDifferencesWithoutTies() {
        on(() -> {
            Tensor x = normal(19, 3, 5);
            for (int axis : new int[] {0, 1})
                for (boolean keep : new boolean[] {true, false})
                    checkOp("max axis " + axis + " keepDim " + keep, v -> max(v[0], axis, keep), x);
        });
    }

    @Test void maxSplitsTheGradientEquallyAmongTies() {
        on(() -> {
            Var x = Var.leaf(Tensor.of(new double[] {2, 1, 2, 0, 3, -1}, 2, 3));
            Var m = max(x, 1, false);
            assertArrayEquals(new double[] {2, 3}, m.value());
            assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 1, 0}, Autodiff.grad(sum(m), new Var[] {x}, null, false)[0].value());
        });
    }

    @Test void maxIsFiniteWithMinusInfinityEntries() {
        on(() -> {
            double inf = Double.POSITIVE_INFINITY;
            Var x = Var.leaf(Tensor.of(new double[] {-inf, 1.5, -inf, 0.5}, 2, 2));
            Var m = max(x, 1, false);
            assertArrayEquals(new double[] {1.5, 0.5}, m.value());
            assertArrayEquals(new double[] {0, 1, 0, 1}, Autodiff.grad(sum(m), new Var[] {x}, null, false)[0].value());
        });
    }

    @Test void logSumExpGradientMatchesFiniteDifferencesForEveryAxisAndKeepDim() {
        on(() -> {
            Tensor x = scale(Var.constant(normal(20, 2, 3, 4)), 3).value();
            for (int axis : new int[] {0, 1, 2, -1})
                for (boolean keep : new boolean[] {true, false})
                    checkOp("logSumExp axis " + axis + " keepDim " + keep, v -> logSumExp(v[0], axis, keep), x);
        });
    }

    @Test void logSumExpWithMinusInfinityEntriesIsFiniteAndIgnoresThem() {
        on(() -> {
            double inf = Double.POSITIVE_INFINITY;
            Tensor x = Tensor.of(new double[] {-inf, 0.3, -1.2, 0.7, -inf, -inf, 2.0, -0.4}, 2, 4);
            checkOp("logSumExp with −∞", v -> logSumExp(v[0], 1, false), x);
            Var xv = Var.leaf(x);
            Var y = logSumExp(xv, 1, false);
            assertEquals(Math.log(Math.exp(0.3) + Math.exp(-1.2) + Math.exp(0.7)), y.value().get(0), 1e-15);
            double[] g = Autodiff.grad(sum(y), new Var[] {xv}, null, false)[0].value().toDoubleArray();
            assertEquals(0, g[0], 0);
            assertEquals(0, g[4], 0);
            assertEquals(0, g[5], 0);
            assertEquals(1, g[0] + g[1] + g[2] + g[3], 1e-15);
        });
    }

    @Test void logSumExpOfAnAllMinusInfinityRowIsMinusInfinityWithZeroGradient() {
        on(() -> {
            double inf = Double.POSITIVE_INFINITY;
            Var x = Var.leaf(Tensor.of(new double[] {-inf, -inf, 0.0, 1.0}, 2, 2));
            Var y = logSumExp(x, 1, false);
            assertEquals(-inf, y.value().get(0));
            Var[] g = Autodiff.grad(sum(mul(y, Var.constant(t(0, 1)))), new Var[] {x}, null, false);
            double e = Math.exp(0) + Math.exp(1);
            assertArrayEquals(new double[] {0, 0, 1 / e, Math.E / e}, g[0].value(), 1e-15);
        });
    }

    @Test void logSumExpOfHugeMagnitudesIsFiniteWithTheSoftmaxGradient() {
        on(() -> {
            Var x = Var.leaf(Tensor.of(new double[] {1e30, 0, -1e30, 1e30, 1e30, -5, -1e30, -1e30, -1e30}, 3, 3));
            Var y = logSumExp(x, 1, true);
            double[] v = y.value().toDoubleArray();
            for (double vi : v) assertTrue(Double.isFinite(vi), "finite logSumExp: " + vi);
            assertEquals(1e30, v[0], 0);
            assertEquals(1e30, v[1], 0);       // 1e30 + log 2 rounds to 1e30
            assertEquals(-1e30 + Math.log(3), v[2], 0);
            assertArrayEquals(new double[] {1, 0, 0, 0.5, 0.5, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0},
                    Autodiff.grad(sum(y), new Var[] {x}, null, false)[0].value(), 1e-15);
        });
    }

    // ------------------------------------------------------------ shape ops

    @Test void shapeOpGradientsMatchFiniteDifferences() {
        on(() -> {
            Tensor x = normal(21, 2, 3, 4);
            checkOp("reshape", v -> reshape(v[0], 4, 6), x);
            checkOp("reshape -1", v -> reshape(v[0], -1, 2), x);
            checkOp("permute", v -> permute(v[0], 2, 0, 1), x);
            checkOp("t", v -> Ops.t(v[0]), normal(22, 3, 5));
            checkOp("slice axis 1", v -> slice(v[0], 1, 1, 3), x);
            checkOp("slice axis -1", v -> slice(v[0], -1, 0, 2), x);
            checkOp("pad", v -> pad(v[0], 1, 2, 7), x);
            checkOp("concat axis 0", v -> concat(0, v[0], v[1]), normal(23, 2, 3), normal(24, 4, 3));
            checkOp("concat axis 1 of three", v -> concat(1, v[0], v[1], v[2]), normal(23, 2, 3), normal(24, 2, 1), normal(25, 2, 2));
            checkOp("broadcastTo [4]→[3,4]", v -> broadcastTo(v[0], new int[] {3, 4}), normal(26, 4));
            checkOp("broadcastTo [3,1]→[2,3,4]", v -> broadcastTo(v[0], new int[] {2, 3, 4}), normal(27, 3, 1));
            checkOp("sumTo [3,1]", v -> sumTo(v[0], new int[] {3, 1}), x);
            checkOp("sumTo [4]", v -> sumTo(v[0], new int[] {4}), x);
            checkOp("sumTo []", v -> sumTo(v[0], new int[] {}), x);
            checkOp("unsqueeze 0", v -> unsqueeze(v[0], 0), normal(28, 3, 4));
            checkOp("unsqueeze -1", v -> unsqueeze(v[0], -1), normal(28, 3, 4));
        });
    }

    @Test void concatAndSliceAreInverse() {
        on(() -> {
            Var a = Var.constant(normal(29, 2, 3)), b = Var.constant(normal(30, 2, 2));
            Var c = concat(1, a, b);
            GradCheck.assertClose("slice back a", a.value(), slice(c, 1, 0, 3).value(), 0, 0);
            GradCheck.assertClose("slice back b", b.value(), slice(c, 1, 3, 5).value(), 0, 0);
        });
    }

    /** concat copies values as they are (a −0.0 keeps its sign, views are read through their strides) in both dtypes. */
    @Test void concatCopiesValuesExactlyFromViews() {
        for (DType dt : DType.values()) {
            Tensor a = Tensor.of(dt, new double[] {-0.0, 1.5, 2, -3}, 2, 2).transpose(0, 1);   // a view: [[-0.0, 2], [1.5, -3]]
            Tensor b = Tensor.of(dt, new double[] {7, -0.0}, 1, 2);
            double[] got = concat(0, Var.constant(a), Var.constant(b)).value().toDoubleArray();
            double[] want = {-0.0, 2, 1.5, -3, 7, -0.0};
            for (int i = 0; i < want.length; i++) assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), dt + " [" + i + "] = " + got[i]);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> concat(0, Var.constant(Tensor.zeros(DType.F32, 1, 2)), Var.constant(Tensor.zeros(DType.F64, 1, 2))));
        assertTrue(e.getMessage().contains("dtypes"), e.getMessage());
    }

    @Test void castGradientIsTheUpstreamGradientCastBack() {
        on(() -> {
            Var x = Var.leaf(Tensor.of(DType.F32, new double[] {1.5, -2, 0.25}, 3));
            Tensor w = t(0.1, 3, -7);
            Var y = cast(x, DType.F64);
            assertEquals(DType.F64, y.dtype());
            Var g = Autodiff.grad(sum(mul(y, Var.constant(w))), new Var[] {x}, null, false)[0];
            assertEquals(DType.F32, g.dtype());
            assertArrayEquals(new double[] {(float) 0.1, 3, -7}, g.value());
            // NOTE: no finite-difference check: a step of 1e-5 is below the F32 resolution that matters here
        });
    }

    // ------------------------------------------------------------ linear algebra

    @ParameterizedTest @ValueSource(strings = {"NN", "NT", "TN", "TT"})
    void matmulGradientMatchesFiniteDifferencesForEveryTransposeCombination(String flags) {
        boolean ta = flags.charAt(0) == 'T', tb = flags.charAt(1) == 'T';
        int m = 3, k = 4, n = 2;
        Tensor a = ta ? normal(31, k, m) : normal(31, m, k), b = tb ? normal(32, n, k) : normal(32, k, n);
        on(() -> checkOp("matmul " + flags, v -> matmul(v[0], v[1], ta, tb), a, b));
    }

    // ------------------------------------------------------------ fused ops

    @Test void sqDistGradientMatchesFiniteDifferences() {
        on(() -> {
            checkOp("sqDist", v -> sqDist(v[0], v[1]), normal(33, 4, 3), normal(34, 5, 3));
            checkOp("sqDist(x, x)", v -> sqDist(v[0], v[0]), normal(35, 4, 3));
        });
    }

    /** Fails unless every |x_nk − y_mk| ≥ gap: central differences across a tie of |·| would be meaningless. */
    static void assertNoTies(Tensor x, Tensor y, double gap) {
        int d = x.dim(1);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray();
        for (int i = 0; i < xv.length; i++)
            for (int j = i % d; j < yv.length; j += d)
                assertTrue(Math.abs(xv[i] - yv[j]) >= gap, "test points too close to a tie of |x − y|: pick another seed");
    }

    @Test void l1DistGradientMatchesFiniteDifferencesAwayFromTies() {
        Tensor x = normal(42, 4, 3), y = normal(43, 5, 3);
        assertNoTies(x, y, 1e-3);   // the steps are H·|v| ≈ 3e-5
        on(() -> {
            checkOp("l1Dist", v -> l1Dist(v[0], v[1]), x, y);
            // the zero diagonal moves with both arguments, so it stays 0: its gradient (sign 0) is exact
            checkOp("l1Dist(x, x)", v -> l1Dist(v[0], v[0]), x);
            checkOp("LAPLACE of l1Dist with the median bandwidth", v -> {
                Var d = l1Dist(v[0], v[1]);
                return kernelFromSqDist(StationaryKernel.LAPLACE, d, addScalar(median(d), 0.5));
            }, x, y);
        });
    }

    @ParameterizedTest @EnumSource(StationaryKernel.class)
    void kernelFromSqDistGradientMatchesFiniteDifferencesInDistanceAndBandwidth(StationaryKernel kernel) {
        on(() -> {
            Tensor d2 = uniform(36, 0, 4, 4, 5);
            checkOp(kernel + " w.r.t. D and scalar h", v -> kernelFromSqDist(kernel, v[0], v[1]), d2, Tensor.scalar(DType.F64, 1.3));
            checkOp(kernel + " w.r.t. D and h of shape [1]", v -> kernelFromSqDist(kernel, v[0], v[1]), d2, t(0.8));
            checkOp(kernel + " of sqDist", v -> kernelFromSqDist(kernel, sqDist(v[0], v[1]), v[2]), normal(37, 4, 2), normal(38, 3, 2), Tensor.scalar(DType.F64, 1.1));
            checkOp(kernel + " with the median bandwidth (not detached)", v -> {
                Var d = sqDist(v[0], v[1]);
                return kernelFromSqDist(kernel, d, addScalar(median(d), 0.5));
            }, normal(39, 4, 2), normal(40, 3, 2));
        });
    }

    /** Every input of the fused KSD quadratic form, h included; then the U-statistic's aliasing (x = y, a = b). */
    @ParameterizedTest @EnumSource(StationaryKernel.class)
    void ksdQuadraticGradientMatchesFiniteDifferencesInEveryInput(StationaryKernel kernel) {
        Tensor x = normal(44, 5, 2), y = normal(45, 4, 2), a = normal(46, 5, 3), b = normal(47, 4, 3);
        assertNoTies(x, y, 1e-3);
        on(() -> {
            checkOp(kernel + " ksdQuadratic", v -> ksdQuadratic(kernel, v[0], v[1], v[2], v[3], v[4]), x, y, a, b, Tensor.scalar(DType.F64, 1.3));
            checkOp(kernel + " ksdQuadratic, h of shape [1]", v -> ksdQuadratic(kernel, v[0], v[1], v[2], v[3], v[4]), x, y, a, b, t(0.7));
            checkOp(kernel + " ksdQuadratic(x, x, a, a)", v -> ksdQuadratic(kernel, v[0], v[0], v[1], v[1], v[2]), x, a.slice(1, 0, 2).contiguous(), t(0.9));
            checkOp(kernel + " ksdQuadratic(x, x, x, x)", v -> ksdQuadratic(kernel, v[0], v[0], v[0], v[0], v[1]), x, t(0.9));
        });
    }

    @Test void kernelBandwidthGradientHasTheBandwidthShape() {
        on(() -> {
            Var h = Var.leaf(t(0.8)), d = Var.leaf(uniform(36, 0, 4, 2, 3));
            Var[] g = Autodiff.grad(sum(kernelFromSqDist(StationaryKernel.RBF, d, h)), new Var[] {d, h}, null, false);
            GradCheck.assertShape("gh", new int[] {1}, g[1].shape());
        });
    }

    @Test void medianGradientGoesToTheSelectedEntry() {
        on(() -> {
            Var x = Var.leaf(Tensor.of(new double[] {5, 1, 4, 2, 3, 9}, 2, 3));
            Var m = median(x);
            assertEquals(3, m.item(), 0);   // lower median of 1 2 3 4 5 9
            assertArrayEquals(new double[] {0, 0, 0, 0, 2.5, 0}, Autodiff.grad(scale(m, 2.5), new Var[] {x}, null, false)[0].value());
            checkOp("median (odd count)", v -> median(v[0]), normal(41, 3, 3));
        });
    }

    @Test void lseMixtureGradientMatchesFiniteDifferencesPerComponentAndShared() {
        on(() -> {
            Tensor x = normal(42, 5, 3), mu = normal(43, 4, 3);
            Tensor logSigmaK = scale(Var.constant(normal(44, 4, 3)), 0.3).value();
            Tensor logSigma1 = scale(Var.constant(normal(45, 1, 3)), 0.3).value();
            checkOp("lseMixture K×d logSigma", v -> lseMixture(v[0], v[1], v[2]), x, mu, logSigmaK);
            checkOp("lseMixture shared 1×d logSigma", v -> lseMixture(v[0], v[1], v[2]), x, mu, logSigma1);
            checkOp("lseMixture K = 1", v -> lseMixture(v[0], v[1], v[2]), x, normal(46, 1, 3), logSigma1);
        });
    }

    @ParameterizedTest @EnumSource(Activation.class)
    void denseGradientMatchesFiniteDifferencesForEveryActivation(Activation act) {
        on(() -> {
            Tensor x = normal(47, 5, 3), w = normal(48, 3, 4);
            checkOp("dense " + act + " bias [O]", v -> dense(act, v[0], v[1], v[2]), x, w, normal(49, 4));
            checkOp("dense " + act + " bias [1,O]", v -> dense(act, v[0], v[1], v[2]), x, w, normal(49, 1, 4));
        });
    }

    @Test void float32GradientsAgreeWithFloat64WithinSinglePrecision() {
        // a chain of ~10 ops, each rounding to float (u = 6e-8) with O(1) condition: 1e-5 normwise is ample
        Function<Var[], Var> f = v -> sum(logSumExp(tanh(add(matmul(v[0], v[1]), softplus(v[2]))), 1, false));
        Tensor a = normal(50, 4, 3), w = normal(51, 3, 5), c = normal(52, 5);
        on(() -> {
            Var[] x64 = {Var.leaf(a), Var.leaf(w), Var.leaf(c)};
            Var[] x32 = {Var.leaf(a.cast(DType.F32)), Var.leaf(w.cast(DType.F32)), Var.leaf(c.cast(DType.F32))};
            Var[] g64 = Autodiff.grad(f.apply(x64), x64, null, false), g32 = Autodiff.grad(f.apply(x32), x32, null, false);
            for (int i = 0; i < 3; i++) {
                assertEquals(DType.F32, g32[i].dtype());
                GradCheck.assertClose("input " + i, g64[i].value(), g32[i].value().cast(DType.F64), 1e-5, 0);
            }
        });
    }

    // ------------------------------------------------------------ helpers

    static void assertArrayEquals(double[] want, Tensor got) { assertArrayEquals(want, got, 0); }

    static void assertArrayEquals(double[] want, Tensor got, double tol) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got.toDoubleArray(), tol, () -> "got " + got);
    }

}
