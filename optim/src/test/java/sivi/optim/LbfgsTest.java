package sivi.optim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** L-BFGS: strong Wolfe conditions at every accepted step, and the known minima of Rosenbrock and quadratics. */
class LbfgsTest {
    /** Extended Rosenbrock Σ_i 100(x_{2i} − x_{2i−1}²)² + (1 − x_{2i−1})² (N&amp;W eq. 9.2), minimum 0 at (1, …, 1). */
    static final Lbfgs.Objective ROSENBROCK = (x, g) -> {
        double f = 0;
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i + 1 < x.length; i += 2) {
            double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
            f += 100 * a * a + b * b;
            g[i] += -400 * a * x[i] - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    };

    /** Every consecutive pair of the path satisfies the strong Wolfe conditions for s = x_{k+1} − x_k (= αp). */
    static void assertStrongWolfe(Lbfgs.Result r, Lbfgs.Config cfg) {
        for (int k = 0; k + 1 < r.path().size(); k++) {
            Lbfgs.Iterate a = r.path().get(k), b = r.path().get(k + 1);
            double[] s = new double[a.x().length];
            for (int i = 0; i < s.length; i++) s[i] = b.x()[i] - a.x()[i];
            double slope0 = Lbfgs.dot(a.grad(), s), slope1 = Lbfgs.dot(b.grad(), s);
            assertTrue(slope0 < 0, "step " + k + " is not a descent step");
            assertTrue(b.f() <= a.f() + cfg.c1() * slope0, "sufficient decrease fails at step " + k);
            assertTrue(Math.abs(slope1) <= cfg.c2() * Math.abs(slope0), "curvature condition fails at step " + k);
        }
    }

    @Test void rosenbrockFromTheStandardStartReachesOneOneWithWolfeSteps() {
        Lbfgs.Config cfg = Lbfgs.Config.defaults().withTolerances(1e-10, 0);
        Lbfgs.Result r = Lbfgs.minimize(ROSENBROCK, new double[] {-1.2, 1}, cfg);
        assertEquals("gradient", r.reason());
        assertStrongWolfe(r, cfg);
        // ‖∇f‖ ≤ 1e-10 and the Hessian at (1,1) has smallest eigenvalue ≈ 0.4: |x − x*| ≲ 1e-10/0.4
        assertArrayEquals(new double[] {1, 1}, r.last().x(), 1e-8);
    }

    @Test void extendedRosenbrockInTwentyDimensionsConverges() {
        double[] x0 = new double[20];
        for (int i = 0; i < 20; i += 2) { x0[i] = -1.2; x0[i + 1] = 1; }
        Lbfgs.Config cfg = Lbfgs.Config.defaults().withHistory(5).withTolerances(1e-10, 0);
        Lbfgs.Result r = Lbfgs.minimize(ROSENBROCK, x0, cfg);
        assertEquals("gradient", r.reason());
        assertStrongWolfe(r, cfg);
        for (double v : r.last().x()) assertEquals(1, v, 1e-8);
    }

    @Test void illConditionedQuadraticReachesTheSolutionOfAxEqualsB() {
        // f = ½xᵀAx − bᵀx with A = QΛQᵀ, eigenvalues 1 … 1e3 (condition 1e3); minimiser A⁻¹b
        int d = 12;
        SplittableRandom rng = new SplittableRandom(7);
        double[] a = new double[d * d], b = new double[d];
        double[][] m = new double[d][d];
        for (double[] row : m) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
        for (int i = 0; i < d; i++) {
            double lam = Math.pow(1e3, (double) i / (d - 1));
            // A = Σ λ_i v_i v_iᵀ over the Gram–Schmidt basis v of m
            double[] v = m[i].clone();
            for (int k = 0; k < i; k++) {
                double c = Lbfgs.dot(v, m[k]);
                for (int j = 0; j < d; j++) v[j] -= c * m[k][j];
            }
            double n = Math.sqrt(Lbfgs.dot(v, v));
            for (int j = 0; j < d; j++) m[i][j] = v[j] / n;
            for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) a[r * d + c] += lam * m[i][r] * m[i][c];
            b[i] = rng.nextGaussian();
        }
        Lbfgs.Objective f = (x, g) -> {
            double v = 0;
            for (int r = 0; r < d; r++) {
                double ax = 0;
                for (int c = 0; c < d; c++) ax += a[r * d + c] * x[c];
                g[r] = ax - b[r];
                v += 0.5 * x[r] * ax - b[r] * x[r];
            }
            return v;
        };
        // f changes by ≈ ½‖g‖²/λ near the minimum: below 1e-6 that is under f's rounding (|f| ~ 1), so stop there
        Lbfgs.Config cfg = Lbfgs.Config.defaults().withTolerances(1e-6, 0);
        Lbfgs.Result r = Lbfgs.minimize(f, new double[d], cfg);
        assertEquals("gradient", r.reason());
        assertStrongWolfe(r, cfg);
        double[] x = r.last().x();
        for (int i = 0; i < d; i++) {
            double res = -b[i];
            for (int c = 0; c < d; c++) res += a[i * d + c] * x[c];
            assertEquals(0, res, 1e-6);   // the residual is the gradient
        }
    }

    @Test void oneDimensionalQuadraticIsSolvedByTheSecondStep() {
        // after one pair, H = s/y = 1/a exactly, so the next unit step lands on the minimiser b/a
        Lbfgs.Objective f = (x, g) -> { g[0] = 4 * x[0] - 3; return 2 * x[0] * x[0] - 3 * x[0]; };
        Lbfgs.Result r = Lbfgs.minimize(f, new double[] {10}, Lbfgs.Config.defaults());
        assertEquals(0.75, r.last().x()[0], 1e-15);
        assertTrue(r.iterations() <= 3, "iterations " + r.iterations());
    }

    @Test void nonFiniteTrialPointsShrinkTheStep() {
        // f = x − log x on x > 0 (∞ outside), minimum at 1; the first unit-length trial from 0.1 along +∞ slope stays finite or shrinks
        Lbfgs.Objective f = (x, g) -> {
            if (x[0] <= 0) { g[0] = Double.NaN; return Double.POSITIVE_INFINITY; }
            g[0] = 1 - 1 / x[0];
            return x[0] - Math.log(x[0]);
        };
        Lbfgs.Config cfg = Lbfgs.Config.defaults().withTolerances(1e-12, 0);
        Lbfgs.Result r = Lbfgs.minimize(f, new double[] {5}, cfg);
        assertStrongWolfe(r, cfg);
        assertEquals(1, r.last().x()[0], 1e-10);
    }

    @Test void aNonFiniteStartIsAOneLineError() {
        Lbfgs.Objective f = (x, g) -> Double.NaN;
        var e = assertThrows(IllegalArgumentException.class, () -> Lbfgs.minimize(f, new double[] {0}, Lbfgs.Config.defaults()));
        assertTrue(e.getMessage().contains("initial point"));
    }
}
