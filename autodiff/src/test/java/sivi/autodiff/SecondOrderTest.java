package sivi.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sivi.autodiff.GradCheck.assertVecClose;
import static sivi.autodiff.GradCheck.checkHvp;
import static sivi.autodiff.Ops.*;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Hessian-vector products, JVPs and VJPs against known Hessians/Jacobians and finite differences. */
class SecondOrderTest {
    static Tensor normal(long seed, int... shape) { return new Rng(seed).normal(DType.F64, shape); }

    static Var c(Tensor t) { return Var.constant(t); }

    /** Dense matrix-vector product in double: the reference for known Hessians. */
    static double[] matVec(double[][] a, double[] v) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < v.length; j++) out[i] += a[i][j] * v[j];
        return out;
    }

    @Test void hvpOfAQuadraticFormIsExactlyTheMatrixTimesV() {
        int n = 5;
        double[][] b = normal(1, n, n).toMatrix(), a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = b[i][j] + b[j][i]; // symmetric: Hessian of ½xᵀAx is A
        Tensor aT = Tensor.matrix(a);
        Function<Var, Var> f = x -> scale(sum(mul(x, matmul(c(aT), x))), 0.5);
        for (int k = 0; k < 3; k++) GradCheck.checkHvpKnown("½xᵀAx", f, normal(10 + k, n, 1), a, 1e-14, 20 + k, 2);
        checkHvp("½xᵀAx", f, normal(13, n, 1), 21, 2);
    }

    /** Σ_i y_i log σ(x_iᵀw) + (1−y_i) log(1−σ(x_iᵀw)) − ½α‖w‖², in two spellings. */
    static Function<Var, Var> logisticLogLikelihood(Tensor xs, Tensor ys, double alpha, boolean viaSoftplus) {
        return w -> {
            Var z = matmul(c(xs), w);                       // N×1
            Var y = c(ys);
            Var logP = viaSoftplus ? neg(softplus(neg(z))) : log(sigmoid(z));
            Var log1mP = viaSoftplus ? neg(softplus(z)) : log(affine(sigmoid(z), -1, 1));
            Var ll = sum(add(mul(y, logP), mul(affine(y, -1, 1), log1mP)));
            return sub(ll, scale(sum(square(w)), 0.5 * alpha));
        };
    }

    @Test void hvpOfTheLogisticRegressionLogLikelihoodMatchesTheClosedFormHessian() {
        int n = 20, d = 4;
        double alpha = 0.7;
        Tensor xs = normal(2, n, d);
        double[] u = new Rng(3).uniform(DType.F64, n, 1).toDoubleArray();
        double[] yv = new double[n];
        for (int i = 0; i < n; i++) yv[i] = u[i] < 0.5 ? 1 : 0;
        Tensor ys = Tensor.of(yv, n, 1);
        Tensor w = normal(4, d, 1);
        // H = −Xᵀ diag(σ(1−σ)) X − αI
        double[][] x = xs.toMatrix();
        double[] wv = w.toDoubleArray();
        double[][] h = new double[d][d];
        for (int i = 0; i < n; i++) {
            double zi = 0;
            for (int j = 0; j < d; j++) zi += x[i][j] * wv[j];
            double s = 1 / (1 + Math.exp(-zi)), r = s * (1 - s);
            for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) h[j][k] -= r * x[i][j] * x[i][k];
        }
        for (int j = 0; j < d; j++) h[j][j] -= alpha;
        for (boolean viaSoftplus : new boolean[] {true, false}) {
            GradCheck.checkHvpKnown("logistic (softplus spelling " + viaSoftplus + ")", logisticLogLikelihood(xs, ys, alpha, viaSoftplus), w, h, 1e-12, 30, 3);
            checkHvp("logistic (softplus spelling " + viaSoftplus + ")", logisticLogLikelihood(xs, ys, alpha, viaSoftplus), w, 31, 2);
        }
    }

    @Test void hvpOfAMixedTanhSoftplusExpLogSumExpMatmulFunctionMatchesFiniteDifferences() {
        Tensor w1 = normal(5, 3, 4), w2 = normal(6, 4, 2);
        Function<Var, Var> f = x -> {
            Var hdn = tanh(matmul(x, c(w1)));                                  // N×4
            Var out = add(softplus(matmul(hdn, c(w2))), slice(exp(scale(x, 0.3)), 1, 0, 2));   // N×2
            return sum(logSumExp(out, 1, false));
        };
        checkHvp("tanh/softplus/exp/logSumExp/matmul", f, normal(7, 5, 3), 8, 3);
    }

    /** Second-order checks of the primitives one at a time: every backward rule must itself be differentiable. */
    static Stream<Arguments> primitives() {
        Tensor pos = new Rng(40).uniform(DType.F64, 3, 4);
        Tensor p = GradCheck.axpy(pos, Tensor.ones(DType.F64, 3, 4), 0.5); // in [0.5, 1.5)
        Tensor x = normal(41, 3, 4), other = normal(42, 3, 4), row = normal(43, 4);
        Tensor mat = normal(44, 4, 2);
        return Stream.of(
            Arguments.of("exp", (Function<Var, Var>) v -> sum(exp(v)), x),
            Arguments.of("log", (Function<Var, Var>) v -> sum(log(v)), p),
            Arguments.of("log1p", (Function<Var, Var>) v -> sum(log1p(v)), p),
            Arguments.of("expm1", (Function<Var, Var>) v -> sum(expm1(v)), x),
            Arguments.of("tanh", (Function<Var, Var>) v -> sum(tanh(v)), x),
            Arguments.of("sigmoid", (Function<Var, Var>) v -> sum(sigmoid(v)), x),
            Arguments.of("softplus", (Function<Var, Var>) v -> sum(softplus(v)), x),
            Arguments.of("silu", (Function<Var, Var>) v -> sum(silu(v)), x),
            Arguments.of("sqrt", (Function<Var, Var>) v -> sum(sqrt(v)), p),
            Arguments.of("square·x", (Function<Var, Var>) v -> sum(mul(square(v), v)), x),
            Arguments.of("reciprocal", (Function<Var, Var>) v -> sum(reciprocal(v)), p),
            Arguments.of("pow −0.5", (Function<Var, Var>) v -> sum(pow(v, -0.5)), p),
            Arguments.of("pow 3", (Function<Var, Var>) v -> sum(pow(v, 3)), x),
            Arguments.of("mul with broadcast", (Function<Var, Var>) v -> sum(mul(mul(v, v), c(row))), x),
            Arguments.of("div by x", (Function<Var, Var>) v -> sum(div(c(other), v)), p),
            Arguments.of("div x by x²", (Function<Var, Var>) v -> sum(div(v, add(square(v), c(p)))), x),
            Arguments.of("sub/neg/affine", (Function<Var, Var>) v -> sum(square(affine(sub(neg(v), c(other)), 1.5, 0.2))), x),
            Arguments.of("maximum", (Function<Var, Var>) v -> sum(square(maximum(v, c(GradCheck.axpy(x, Tensor.full(DType.F64, 0.3, 3, 4), 1))))), x),
            Arguments.of("where", (Function<Var, Var>) v -> sum(where(Tensor.of(new double[] {1, 0, 1, 0}, 4), exp(v), square(v))), x),
            Arguments.of("sum axis/mean", (Function<Var, Var>) v -> sum(square(mean(exp(v), 0, false))), x),
            Arguments.of("max axis", (Function<Var, Var>) v -> sum(square(max(v, 1, true))), x),
            Arguments.of("logSumExp axis 0", (Function<Var, Var>) v -> sum(logSumExp(v, 0, false)), x),
            Arguments.of("logSumExp axis 1 keepDim", (Function<Var, Var>) v -> sum(square(logSumExp(v, 1, true))), x),
            Arguments.of("permute/reshape/t", (Function<Var, Var>) v -> sum(mul(exp(Ops.t(v)), c(Ops.t(c(other)).value()))), x),
            Arguments.of("slice/concat/pad", (Function<Var, Var>) v -> sum(exp(concat(1, slice(v, 1, 2, 4), pad(slice(v, 1, 0, 1), 1, 1, 3)))), x),
            Arguments.of("broadcastTo/sumTo", (Function<Var, Var>) v -> sum(square(sumTo(broadcastTo(tanh(v), new int[] {2, 3, 4}), new int[] {4}))), x),
            Arguments.of("matmul NN", (Function<Var, Var>) v -> sum(exp(matmul(v, c(mat)))), x),
            Arguments.of("matmul TN", (Function<Var, Var>) v -> sum(exp(matmul(v, tanh(v), true, false))), x),
            Arguments.of("matmul NT", (Function<Var, Var>) v -> sum(tanh(matmul(v, v, false, true))), x),
            Arguments.of("matmul TT", (Function<Var, Var>) v -> sum(tanh(matmul(c(mat), v, true, true))), x));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("primitives")
    void hvpOfEachPrimitiveMatchesFiniteDifferencesOfTheGradient(String name, Function<Var, Var> f, Tensor x) {
        checkHvp(name, f, x, 50, 2);
    }

    // ------------------------------------------------------------ jvp / vjp

    /** F(x) = [x0²·x1 + exp(x2), tanh(x0)·x2 + x1/x2] and its Jacobian. */
    static Var smallMap(Var x) {
        Var x0 = slice(x, 0, 0, 1), x1 = slice(x, 0, 1, 2), x2 = slice(x, 0, 2, 3);
        return concat(0, add(mul(square(x0), x1), exp(x2)), add(mul(tanh(x0), x2), div(x1, x2)));
    }

    static double[][] smallMapJacobian(double[] x) {
        double th = Math.tanh(x[0]);
        return new double[][] {
            {2 * x[0] * x[1], x[0] * x[0], Math.exp(x[2])},
            {(1 - th * th) * x[2], 1 / x[2], th - x[1] / (x[2] * x[2])},
        };
    }

    @Test void jvpAndVjpMatchTheExplicitJacobianOfASmallMap() {
        double[] xv = {0.7, -1.3, 0.9};
        Tensor x = Tensor.of(xv, 3);
        double[][] jac = smallMapJacobian(xv);
        Tensor v = Tensor.of(new double[] {0.3, -2, 1.1}, 3), u = Tensor.of(new double[] {1.7, -0.6}, 2);
        assertVecClose("J·v", matVec(jac, v.toDoubleArray()), Autodiff.jvp(SecondOrderTest::smallMap, x, v).toDoubleArray(), 1e-14, 0);
        double[] uj = new double[3];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) uj[j] += u.get(i) * jac[i][j];
        assertVecClose("uᵀJ", uj, Autodiff.vjp(SecondOrderTest::smallMap, x, u).toDoubleArray(), 1e-14, 0);
        // columns and rows one at a time reassemble J
        for (int j = 0; j < 3; j++) {
            double[] e = new double[3]; e[j] = 1;
            double[] col = Autodiff.jvp(SecondOrderTest::smallMap, x, Tensor.of(e, 3)).toDoubleArray();
            assertVecClose("column " + j, new double[] {jac[0][j], jac[1][j]}, col, 1e-14, 0);
        }
    }

    /** J·v of a map with a tensor output against the central difference (F(x+hv) − F(x−hv)) / 2h, elementwise. */
    static void assertJvpMatchesFiniteDifferences(String what, Function<Var, Var> f, Tensor x, Tensor v) {
        double[] fp = GradMode.noGrad(() -> f.apply(c(GradCheck.axpy(x, v, GradCheck.H)))).value().toDoubleArray();
        double[] fm = GradMode.noGrad(() -> f.apply(c(GradCheck.axpy(x, v, -GradCheck.H)))).value().toDoubleArray();
        double[] fd = new double[fp.length];
        for (int i = 0; i < fd.length; i++) fd[i] = (fp[i] - fm[i]) / (2 * GradCheck.H);
        assertVecClose(what + ": J·v", fd, Autodiff.jvp(f, x, v).toDoubleArray(), 1e-6, 1e-9);
    }

    @Test void jvpThroughFusedOpsMatchesFiniteDifferences() {
        Tensor y = normal(63, 3, 2), mu = normal(64, 3, 2), ls = GradCheck.axpy(Tensor.zeros(DType.F64, 3, 2), normal(65, 3, 2), 0.3);
        Tensor w = normal(66, 2, 4), b = normal(67, 4);
        Tensor x = normal(68, 5, 2), v = normal(69, 5, 2);
        for (sivi.kernels.StationaryKernel k : sivi.kernels.StationaryKernel.values())
            assertJvpMatchesFiniteDifferences(k + " of sqDist", p -> kernelFromSqDist(k, sqDist(p, c(y)), Ops.scalar(DType.F64, 1.4)), x, v);
        assertJvpMatchesFiniteDifferences("LAPLACE of l1Dist", p -> kernelFromSqDist(sivi.kernels.StationaryKernel.LAPLACE, l1Dist(p, c(y)), Ops.scalar(DType.F64, 1.4)), x, v);
        assertJvpMatchesFiniteDifferences("lseMixture", p -> lseMixture(p, c(mu), c(ls)), x, v);
        for (sivi.kernels.Activation act : sivi.kernels.Activation.values())
            assertJvpMatchesFiniteDifferences("dense " + act, p -> dense(act, p, c(w), c(b)), x, v);
    }

    @Test void jvpOfAFunctionThatIgnoresItsInputIsZero() {
        Tensor x = normal(60, 3);
        Tensor got = Autodiff.jvp(v -> c(normal(61, 2)), x, normal(62, 3));
        assertVecClose("zero J·v", new double[2], got.toDoubleArray(), 0, 0);
    }

    // ------------------------------------------------------------ batched HVP

    /** A banana-shaped log-density of one 2-d point per row: −½x₁² − ½(x₂ − x₁²)² − ¼ Σ softplus. */
    static Var bananaLogDensity(Var x) {
        Var x1 = slice(x, 1, 0, 1), x2 = slice(x, 1, 1, 2);
        Var q = add(scale(square(x1), -0.5), scale(square(sub(x2, square(x1))), -0.5));
        return sub(q, scale(sum(softplus(x), 1, true), 0.25));   // N×1
    }

    @Test void batchedHvpOfASumOfPerPointLogDensitiesGivesPerPointHvps() {
        int n = 6;
        Tensor x = normal(70, n, 2), v = normal(71, n, 2);
        double[] batched = Autodiff.hvp(xs -> sum(bananaLogDensity(xs)), x, v).toDoubleArray();
        for (int i = 0; i < n; i++) {
            Tensor xi = Tensor.of(new double[] {x.get(i, 0), x.get(i, 1)}, 1, 2), vi = Tensor.of(new double[] {v.get(i, 0), v.get(i, 1)}, 1, 2);
            double[] single = Autodiff.hvp(p -> sum(bananaLogDensity(p)), xi, vi).toDoubleArray();
            // the closed-form Hessian of the banana part plus the softplus part
            double a = x.get(i, 0), b = x.get(i, 1);
            double sa = 1 / (1 + Math.exp(-a)), sb = 1 / (1 + Math.exp(-b));
            double h11 = -1 - (6 * a * a - 2 * b) - 0.25 * sa * (1 - sa), h12 = 2 * a, h22 = -1 - 0.25 * sb * (1 - sb);
            double[] want = {h11 * vi.get(0, 0) + h12 * vi.get(0, 1), h12 * vi.get(0, 0) + h22 * vi.get(0, 1)};
            assertVecClose("point " + i + " vs closed form", want, single, 1e-13, 1e-14);
            assertVecClose("point " + i + " batched vs single", single, new double[] {batched[2 * i], batched[2 * i + 1]}, 1e-14, 1e-15);
        }
    }

    @Test void hvpWithCreateGraphIsDifferentiableAgain() {
        // f(x) = Σ x⁴/12: H·v = x²⊙v; d/dx Σ (H·v) = 2x⊙v
        Tensor xt = normal(80, 4), vt = normal(81, 4);
        Var x = Var.leaf(xt);
        Var hv = Autodiff.hvp(p -> scale(sum(pow(p, 4)), 1.0 / 12), x, c(vt), true);
        Var third = Autodiff.grad(sum(hv), new Var[] {x}, null, false)[0];
        double[] want = new double[4];
        for (int i = 0; i < 4; i++) want[i] = 2 * xt.get(i) * vt.get(i);
        assertVecClose("third derivative", want, third.value().toDoubleArray(), 1e-14, 0);
        assertEquals(4, hv.size());
    }
}
