package sivi.posteriordb;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.*;

/**
 * Each StanMath composite on its own, float64: value against a plain-double formula, gradient against
 * central differences of that formula, HVP (reverse over reverse) against central differences of the
 * autodiff gradient. FD error bounds: h²|f'''|/6 + ε|f|/h with h = 1e-5 — the tolerance 1e-6·(1 + scale)
 * covers them for the O(1) arguments used here.
 */
class StanMathTest {
    /** f on a 1×d row → a scalar, with its plain-double oracle. */
    static void check(String what, double[] x, Function<Var, Var> f, ToDoubleFunction<double[]> oracle) {
        int d = x.length;
        Function<Var, Var> total = v -> Ops.sum(f.apply(v));
        double value = GradMode.noGrad(() -> total.apply(Var.constant(Tensor.wrap(x.clone(), 1, d)))).item();
        assertEquals(oracle.applyAsDouble(x), value, 1e-12 * (1 + Math.abs(value)), what + " value");
        double[] g = GradMode.with(true, () -> Autodiff.grad(total, Tensor.wrap(x.clone(), 1, d))).toDoubleArray();
        for (int j = 0; j < d; j++) {
            double h = 1e-5;
            double[] xp = x.clone(), xm = x.clone();
            xp[j] += h; xm[j] -= h;
            double fd = (oracle.applyAsDouble(xp) - oracle.applyAsDouble(xm)) / (2 * h);
            assertEquals(fd, g[j], 1e-6 * (1 + Math.abs(fd)), what + " d/dx" + j);
        }
        double[] v = new double[d];
        for (int j = 0; j < d; j++) v[j] = Math.cos(1 + j);   // a fixed direction with all entries non-zero
        double[] hv = GradMode.with(true, () -> Autodiff.hvp(total, Tensor.wrap(x.clone(), 1, d), Tensor.wrap(v.clone(), 1, d))).toDoubleArray();
        double h = 1e-5;
        double[] xp = x.clone(), xm = x.clone();
        for (int j = 0; j < d; j++) { xp[j] += h * v[j]; xm[j] -= h * v[j]; }
        double[] gp = GradMode.with(true, () -> Autodiff.grad(total, Tensor.wrap(xp, 1, d))).toDoubleArray();
        double[] gm = GradMode.with(true, () -> Autodiff.grad(total, Tensor.wrap(xm, 1, d))).toDoubleArray();
        for (int j = 0; j < d; j++) {
            double fd = (gp[j] - gm[j]) / (2 * h);
            assertEquals(fd, hv[j], 1e-6 * (1 + Math.abs(fd)), what + " HVP " + j);
        }
    }

    static Var col(Var x, int j) { return slice(x, 1, j, j + 1); }

    @Test void lpdfs() {
        double l2p = 0.5 * Math.log(2 * Math.PI);
        check("normal", new double[] {0.3, -0.4, 1.3}, x -> StanMath.normalLpdf(col(x, 0), col(x, 1), col(x, 2)),
                a -> -0.5 * Math.pow((a[0] - a[1]) / a[2], 2) - Math.log(a[2]) - l2p);
        check("cauchy", new double[] {0.7}, x -> StanMath.cauchyLpdf(x, 0.2, 2.5), a -> -Math.log(Math.PI * 2.5 * (1 + Math.pow((a[0] - 0.2) / 2.5, 2))));
        // Student-t with nu = 3: Γ(2)/Γ(3/2) = 2/√π
        check("student-t", new double[] {1.9}, x -> StanMath.studentTLpdf(x, 3, 0.5, 2),
                a -> Math.log(2 / Math.sqrt(Math.PI)) - 0.5 * Math.log(3 * Math.PI) - Math.log(2) - 2 * Math.log1p(Math.pow((a[0] - 0.5) / 2, 2) / 3));
        check("lognormal", new double[] {1.7, 0.2, 0.6}, x -> StanMath.lognormalLpdf(col(x, 0), col(x, 1), col(x, 2)),
                a -> -0.5 * Math.pow((Math.log(a[0]) - a[1]) / a[2], 2) - Math.log(a[2]) - l2p - Math.log(a[0]));
        check("exponential", new double[] {0.8, 1.4}, x -> StanMath.exponentialLpdf(col(x, 0), col(x, 1)), a -> Math.log(a[1]) - a[1] * a[0]);
        // Γ(3) = 2, rate 4
        check("gamma", new double[] {0.9}, x -> StanMath.gammaLpdf(x, 3, 4), a -> 3 * Math.log(4) - Math.log(2) + 2 * Math.log(a[0]) - 4 * a[0]);
        // B(2, 3) = 1/12
        check("beta", new double[] {0.35}, x -> StanMath.betaLpdf(x, 2, 3), a -> Math.log(a[0]) + 2 * Math.log(1 - a[0]) + Math.log(12));
    }

    @Test void logSumExps() {
        check("lse2", new double[] {0.4, -1.1}, x -> StanMath.logSumExp2(col(x, 0), col(x, 1)), a -> Math.log(Math.exp(a[0]) + Math.exp(a[1])));
        check("lse2 far apart", new double[] {700, -50}, x -> StanMath.logSumExp2(col(x, 0), col(x, 1)), a -> a[0] + Math.log1p(Math.exp(a[1] - a[0])));
        check("lse axis", new double[] {0.3, 2.0, -0.7}, x -> StanMath.logSumExpShifted(x, 1),
                a -> Math.log(Math.exp(a[0]) + Math.exp(a[1]) + Math.exp(a[2])));
    }

    /** A 3×3 SPD matrix from 6 numbers (lower triangle of B, A = B Bᵀ + I), through cholesky and the MVN lpdf. */
    @Test void choleskyAndMultiNormal() {
        double[] x = {1.1, 0.3, 0.8, -0.4, 0.2, 0.9, 0.5, -1.2, 0.7};   // 6 for B, 3 for y
        Function<Var, Var> f = v -> {
            Var[][] b = {{col(v, 0)}, {col(v, 1), col(v, 2)}, {col(v, 3), col(v, 4), col(v, 5)}};
            Var[][] a = new Var[3][3];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j <= i; j++) {
                    Var s = i == j ? Ops.addScalar(Ops.zerosLike(b[0][0]), 1) : null;
                    for (int k = 0; k <= j; k++) s = s == null ? mul(b[i][k], b[j][k]) : add(s, mul(b[i][k], b[j][k]));
                    a[i][j] = s;
                }
            return StanMath.multiNormalCholeskyLpdf(new Var[] {col(v, 6), col(v, 7), col(v, 8)}, StanMath.cholesky(a));
        };
        check("mvn-cholesky", x, f, StanMathTest::mvnByElimination);
    }

    /** log N(y | 0, A) with A = B Bᵀ + I by Gaussian elimination (log det from the pivots), no Cholesky. */
    static double mvnByElimination(double[] x) {
        double[][] b = {{x[0], 0, 0}, {x[1], x[2], 0}, {x[3], x[4], x[5]}};
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) { for (int k = 0; k < 3; k++) a[i][j] += b[i][k] * b[j][k]; if (i == j) a[i][j] += 1; }
        double[] y = {x[6], x[7], x[8]}, r = y.clone();
        double logdet = 0;
        for (int p = 0; p < 3; p++) {
            logdet += Math.log(a[p][p]);
            for (int i = p + 1; i < 3; i++) {
                double m = a[i][p] / a[p][p];
                for (int j = p; j < 3; j++) a[i][j] -= m * a[p][j];
                r[i] -= m * r[p];
            }
        }
        double[] z = new double[3];
        for (int i = 2; i >= 0; i--) { double s = r[i]; for (int j = i + 1; j < 3; j++) s -= a[i][j] * z[j]; z[i] = s / a[i][i]; }
        double q = y[0] * z[0] + y[1] * z[1] + y[2] * z[2];
        return -0.5 * q - 0.5 * logdet - 1.5 * Math.log(2 * Math.PI);
    }

    /**
     * RK4 through its steps: dy/dt = −k y from y0 over [0, 1] in 10 steps gives y0·(1 − kh + (kh)²/2 − (kh)³/6 + (kh)⁴/24)^10
     * exactly (RK4's stability polynomial on a linear ODE), so the oracle is closed form.
     */
    @Test void rk4OnALinearOde() {
        check("rk4", new double[] {0.7, 1.3}, x -> {
            Var k = col(x, 0);
            Var[][] y = StanMath.integrate((t, s) -> new Var[] {neg(mul(k, s[0]))}, new Var[] {col(x, 1)}, 0, new double[] {0.5, 1.0}, 0.1);
            return add(y[0][0], y[1][0]);
        }, a -> {
            double z = a[0] * 0.1, r = 1 - z + z * z / 2 - z * z * z / 6 + z * z * z * z / 24;
            return a[1] * (Math.pow(r, 5) + Math.pow(r, 10));
        });
    }

    /** A fast decay (k = 50) with hMax = 0.1: fixed steps would grow by |R(−5)| ≈ 13.7 per step; the rate-limited steps decay. */
    @Test void rk4StepsFollowTheRate() {
        double y = GradMode.noGrad(() -> {
            Var k = Ops.scalar(sivi.tensor.DType.F64, 50), y0 = Ops.constant(Tensor.wrap(new double[] {1}, 1));
            return StanMath.integrate((t, s) -> new Var[] {neg(mul(k, s[0]))}, new Var[] {y0}, 0, new double[] {1}, 0.1)[0][0].item();
        });
        // h ≤ 1/50: each step multiplies by R(−1) = 3/8 (> e^−1 = 0.368), so 50 steps give (3/8)^50 ≤ y ≤ 1
        assertTrue(y > 0 && y <= Math.pow(0.375, 50) * 1.0000001, "y(1) = " + y);
    }

    @Test void constraintsHaveTheirLogJacobian() {
        // simplex of 3 from 2 coordinates: value and log-Jacobian summed, against the stick-breaking formula
        check("simplex", new double[] {0.3, -0.6}, x -> {
            Constraint.Result r = Constraint.SIMPLEX.apply(x, 3);
            return add(Ops.sum(mul(r.value(), Ops.constant(Tensor.wrap(new double[] {1, 2, 3}, 1, 3)))), r.logJacobian());
        }, a -> {
            double z1 = 1 / (1 + Math.exp(-(a[0] - Math.log(2)))), z2 = 1 / (1 + Math.exp(-a[1]));
            double x1 = z1, x2 = (1 - z1) * z2, x3 = 1 - x1 - x2;
            double jac = Math.log(z1 * (1 - z1)) + Math.log(1 - z1) + Math.log(z2 * (1 - z2));
            return x1 + 2 * x2 + 3 * x3 + jac;
        });
        check("bounded", new double[] {0.4}, x -> {
            Constraint.Result r = Constraint.bounded(-1, 3).apply(x, 1);
            return add(Ops.sum(r.value()), r.logJacobian());
        }, a -> {
            double s = 1 / (1 + Math.exp(-a[0]));
            return -1 + 4 * s + Math.log(4 * s * (1 - s));
        });
    }
}
