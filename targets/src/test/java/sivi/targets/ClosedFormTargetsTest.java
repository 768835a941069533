package sivi.targets;

import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.metrics.Ksd;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each target's log-density against a plain-double implementation written here straight from the
 * formula of docs/targets.md (or the class javadoc where it has none), with the
 * normalising constant where {@link Target#isNormalised()}; the score against central differences
 * of that log-density; and each exact sampler tied to its score by the kernel Stein discrepancy.
 */
class ClosedFormTargetsTest {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    static double logNormal(double x, double mean, double var) { return -0.5 * (LOG_2PI + Math.log(var)) - 0.5 * (x - mean) * (x - mean) / var; }

    static double logSumExp(double a, double b) { double m = Math.max(a, b); return m + Math.log(Math.exp(a - m) + Math.exp(b - m)); }

    /** log N(x; 0, [[s11, s12], [s12, s22]]) from the explicit 2×2 inverse. */
    static double logNormal2(double x1, double x2, double s11, double s12, double s22) {
        double det = s11 * s22 - s12 * s12;
        return -LOG_2PI - 0.5 * Math.log(det) - 0.5 * (s22 * x1 * x1 - 2 * s12 * x1 * x2 + s11 * x2 * x2) / det;
    }

    /** The default {@code gaussian} target by its documented construction (AR(1) ρ, scales 0.5·4^{i/(d−1)}), own Cholesky. */
    static double logGaussianAr1(double[] x, double rho) {
        int d = x.length;
        double[] c = new double[d * d], l = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                c[i * d + j] = 0.5 * Math.pow(4, (double) i / (d - 1)) * 0.5 * Math.pow(4, (double) j / (d - 1)) * Math.pow(rho, Math.abs(i - j));
        for (int j = 0; j < d; j++) {
            double s = c[j * d + j];
            for (int k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k];
            l[j * d + j] = Math.sqrt(s);
            for (int i = j + 1; i < d; i++) {
                double t = c[i * d + j];
                for (int k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
                l[i * d + j] = t / l[j * d + j];
            }
        }
        double[] z = new double[d]; // z = L⁻¹ (x − μ), μ_i = (−1)^i·0.5·(i mod 3)
        double logDet = 0, q = 0;
        for (int i = 0; i < d; i++) {
            double r = x[i] - (i % 2 == 0 ? 1 : -1) * 0.5 * (i % 3);
            for (int k = 0; k < i; k++) r -= l[i * d + k] * z[k];
            z[i] = r / l[i * d + i];
            q += z[i] * z[i];
            logDet += 2 * Math.log(l[i * d + i]);
        }
        return -0.5 * d * LOG_2PI - 0.5 * logDet - 0.5 * q;
    }

    /** Conditioned diffusion, docs/targets.md#cond-diffusion (unnormalised): Euler prior with drift β·u(1−u²)/(1+u²), β = 10, σ = 0.1. */
    static ToDoubleFunction<double[]> condDiffusion(int d, double[] y) {
        return u -> {
            double dt = 1.0 / d, s = 0, prev = 0;
            int every = d / y.length;
            for (int k = 0; k < d; k++) {
                double m = prev + 10 * prev * (1 - prev * prev) / (1 + prev * prev) * dt;
                s -= (u[k] - m) * (u[k] - m) / (2 * dt);
                prev = u[k];
            }
            for (int i = 0; i < y.length; i++) s -= (u[(i + 1) * every - 1] - y[i]) * (u[(i + 1) * every - 1] - y[i]) / (2 * 0.01);
            return s;
        };
    }

    static Stream<Arguments> closedForms() {
        // student-t: A from the class javadoc (det 1); t₂ density is (2 + t²)^{−3/2}
        double a11 = 1.2, a12 = 0.5, a21 = 0.3, a22 = 1.15 / 1.2;
        ConditionedDiffusion cd = ConditionedDiffusion.shipped(50);
        return Stream.of(
                Arguments.of(new Banana(), (ToDoubleFunction<double[]>) x -> logNormal2(x[0], x[0] * x[0] + x[1] + 1, 1, 0.9, 1)),
                Arguments.of(new BananaSivi2018(), (ToDoubleFunction<double[]>) x -> logNormal(x[0], 0, 4) + logNormal(x[1], x[0] * x[0] / 4, 1)),
                Arguments.of(Mixture2d.multimodal(), (ToDoubleFunction<double[]>) x -> Math.log(0.5)
                        + logSumExp(logNormal(x[0], 2, 1) + logNormal(x[1], 0, 1), logNormal(x[0], -2, 1) + logNormal(x[1], 0, 1))),
                Arguments.of(Mixture2d.xShaped(), (ToDoubleFunction<double[]>) x -> Math.log(0.5)
                        + logSumExp(logNormal2(x[0], x[1], 2, 1.8, 2), logNormal2(x[0], x[1], 2, -1.8, 2))),
                Arguments.of(new StudentT2d(), (ToDoubleFunction<double[]>) x -> {
                    double det = a11 * a22 - a12 * a21, y1 = (a22 * x[0] - a12 * x[1]) / det, y2 = (-a21 * x[0] + a11 * x[1]) / det;
                    return -1.5 * Math.log(2 + y1 * y1) - 1.5 * Math.log(2 + y2 * y2) - Math.log(Math.abs(det));
                }),
                Arguments.of(new Funnel(6), (ToDoubleFunction<double[]>) x -> {
                    double s = logNormal(x[0], 0, 9);
                    for (int i = 1; i < x.length; i++) s += logNormal(x[i], 0, Math.exp(x[0]));
                    return s;
                }),
                Arguments.of(new LaplaceCompound(5), (ToDoubleFunction<double[]>) x -> {
                    double s = 0;
                    for (double v : x) s += -Math.abs(v) - Math.log(2);
                    return s;
                }),
                Arguments.of(Gaussian.correlated(5, 0.8), (ToDoubleFunction<double[]>) x -> logGaussianAr1(x, 0.8)),
                Arguments.of(cd, condDiffusion(50, cd.observations())));
    }

    /** Evaluation points: exact draws (typical) where there are, plus N(0, 1.5²) points (atypical). */
    static double[][] points(Target t, int n) {
        Rng rng = new Rng(21);
        double[] wide = rng.normal(DType.F64, n, t.dim()).toDoubleArray();
        double[] exact = t.exactSample(rng, n).map(Tensor::toDoubleArray).orElse(new double[0]);
        double[][] p = new double[n + exact.length / t.dim()][t.dim()];
        for (int i = 0; i < n; i++) for (int j = 0; j < t.dim(); j++) p[i][j] = 1.5 * wide[i * t.dim() + j];
        for (int i = n; i < p.length; i++) for (int j = 0; j < t.dim(); j++) p[i][j] = exact[(i - n) * t.dim() + j];
        return p;
    }

    static double[] logDensity(Target t, double[][] x) {
        double[] flat = new double[x.length * t.dim()];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, flat, i * t.dim(), t.dim());
        return GradMode.noGrad(() -> t.logDensity(Var.constant(Tensor.wrap(flat, x.length, t.dim()))).value().toDoubleArray());
    }

    @ParameterizedTest(name = "{0}") @MethodSource("closedForms")
    void logDensityMatchesTheClosedForm(Target t, ToDoubleFunction<double[]> want) {
        double[][] x = points(t, 20);
        double[] got = logDensity(t, x);
        // normalised: equal; unnormalised: equal up to one additive constant, fixed by the first point
        double offset = t.isNormalised() ? 0 : got[0] - want.applyAsDouble(x[0]);
        for (int i = 0; i < x.length; i++) {
            double w = want.applyAsDouble(x[i]);
            // two f64 evaluations of one formula: rounding only (1e-12 relative to the terms' size)
            assertEquals(w, got[i] - offset, 1e-12 * Math.max(1, Math.abs(w)), t.name() + " at point " + i);
        }
        if (!t.isNormalised()) assertEquals(0, offset, 1e-9 * Math.max(1, Math.abs(got[0])), t.name() + ": documented as having no constant");
    }

    /**
     * ⟨score, v⟩ against the central difference of the closed-form log-density along v (h = 1e-5:
     * truncation O(h²·|∂³ log p|) ≈ 1e-9, rounding O(ε·|log p|/h) ≈ 1e-10 for |log p| ≲ 1e3).
     */
    @ParameterizedTest(name = "{0}") @MethodSource("closedForms")
    void scoreMatchesFiniteDifferencesOfTheClosedForm(Target t, ToDoubleFunction<double[]> f) {
        // the Laplace score is sign(x): a difference across 0 is no check, and points at |x| < h have measure 0 here
        double[][] x = points(t, 10);
        double[] v = new Rng(22).normal(DType.F64, x.length, t.dim()).toDoubleArray();
        double[] flat = new double[x.length * t.dim()];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, flat, i * t.dim(), t.dim());
        double[] s = t.scoreValue(Tensor.wrap(flat, x.length, t.dim())).toDoubleArray();
        double h = 1e-5;
        for (int i = 0; i < x.length; i++) {
            double[] a = x[i].clone(), b = x[i].clone();
            double analytic = 0, mag = 0;
            for (int j = 0; j < t.dim(); j++) {
                double vj = v[i * t.dim() + j];
                a[j] += h * vj; b[j] -= h * vj;
                analytic += s[i * t.dim() + j] * vj;
                mag += Math.abs(s[i * t.dim() + j] * vj);
            }
            double fd = (f.applyAsDouble(a) - f.applyAsDouble(b)) / (2 * h);
            assertEquals(fd, analytic, 1e-6 * Math.max(1, mag), t.name() + " at point " + i);
        }
    }

    static double[][] rows(Tensor t, int d) {
        double[] a = t.toDoubleArray();
        double[][] r = new double[a.length / d][d];
        for (int i = 0; i < r.length; i++) System.arraycopy(a, i * d, r[i], 0, d);
        return r;
    }

    static Ksd ksd(Target t, double[][] x) {
        double[] flat = new double[x.length * t.dim()];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, flat, i * t.dim(), t.dim());
        double[][] s = rows(t.scoreValue(Tensor.wrap(flat, x.length, t.dim())), t.dim());
        return Ksd.imq(x, s);
    }

    /**
     * The exact sampler and the score describe one distribution: the U-statistic KSD² of exact draws
     * has mean 0 under p, so |U| ≤ 4 SE (SE from the U-statistic's variance, conservative under p:
     * false alarm ≈ 6e-5 per target and seed). A sample with the sd halved around the sample mean
     * must be significantly positive (U ≥ 5 of its own SE), so the check has power at this n: a score
     * that ignored the draws' spread would pass the first half too. (At n = 800 the IMQ KSD resolves
     * a 0.8 sd scaling only on the light-tailed targets — measured 2–10 SE — hence the 0.5.)
     * IMQ kernel (Gorham &amp; Mackey 2017): its KSD detects non-convergence also for heavy tails.
     */
    @ParameterizedTest
    @ValueSource(strings = {"banana", "banana-sivi2018", "multimodal", "x-shaped", "student-t", "funnel", "laplace-compound", "gaussian"})
    void exactDrawsHaveZeroKsdAndCollapsedDrawsDoNot(String name) {
        Target t = Targets.create(name);
        int n = 800, d = t.dim();
        for (long seed : new long[] {1, 2}) {
            var drawn = t.exactSample(new Rng(seed), n);
            assumeTrue(drawn.isPresent(), name + " has no exact sampler");
            double[][] x = rows(drawn.get().cast(DType.F64), d);
            Ksd exact = ksd(t, x);
            assertTrue(Math.abs(exact.u()) <= 4 * exact.standardError(), name + " seed " + seed + ": exact draws " + exact);
            double[] mean = new double[d];
            for (double[] r : x) for (int j = 0; j < d; j++) mean[j] += r[j] / n;
            double[][] shrunk = new double[n][d];
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) shrunk[i][j] = mean[j] + 0.5 * (x[i][j] - mean[j]);
            Ksd bad = ksd(t, shrunk);
            assertTrue(bad.u() >= 5 * bad.standardError(), name + " seed " + seed + ": collapsed draws " + bad);
        }
    }
}
