package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.kernels.Rng;
import sivi.targets.Gaussian;
import sivi.targets.Linalg;
import sivi.tensor.DType;

/** Pathfinder: the compact inverse Hessian, the low-rank Gaussian, exactness on Gaussians, runs on the toys. */
class PathfinderTest {
    static double[] dense(LowRankGaussian q) {
        int d = q.d;
        double[] s = new double[d * d];
        for (int j = 0; j < d; j++) {
            double[] e = new double[d];
            e[j] = 1;
            double[] col = q.covTimes(e);
            for (int i = 0; i < d; i++) s[i * d + j] = col[i];
        }
        return s;
    }

    /** N(m, Σ) log density at x from a dense Σ (Cholesky). */
    static double denseLogPdf(double[] x, double[] m, double[] cov) {
        int d = m.length;
        double[] l = Linalg.cholesky(cov, d), z = new double[d];
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            double v = x[i] - m[i];
            for (int k = 0; k < i; k++) v -= l[i * d + k] * z[k];
            z[i] = v / l[i * d + i];
            logDet += 2 * Math.log(l[i * d + i]);
        }
        double q = 0;
        for (double e : z) q += e * e;
        return -0.5 * (d * Math.log(2 * Math.PI) + logDet + q);
    }

    /** m random pairs with positive curvature: y = A s for a random SPD A (d×d). */
    static List<double[][]> pairs(int d, int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] b = new double[d * d], a = new double[d * d];
        for (int i = 0; i < d * d; i++) b[i] = r.nextGaussian();
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) { double v = i == j ? 0.5 : 0; for (int k = 0; k < d; k++) v += b[i * d + k] * b[j * d + k]; a[i * d + j] = v; }
        List<double[][]> out = new ArrayList<>();
        for (int p = 0; p < m; p++) {
            double[] s = new double[d], y = new double[d];
            for (int i = 0; i < d; i++) s[i] = r.nextGaussian();
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) y[i] += a[i * d + j] * s[j];
            out.add(new double[][] {s, y});
        }
        return out;
    }

    @Test void compactInverseHessianEqualsTheSequentialBfgsUpdates() {
        // Byrd, Nocedal & Schnabel (1994): diag(α) + βγβᵀ is H₀ = diag(α) updated by BFGS with each pair in turn,
        // H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs (N&W eq. 6.17)
        int d = 7, m = 4;
        List<double[][]> pr = pairs(d, m, 3);
        double[] alpha = new double[d];
        for (int i = 0; i < d; i++) alpha[i] = 0.5 + i * 0.1;
        double[] h = new double[d * d];
        for (int i = 0; i < d; i++) h[i * d + i] = alpha[i];
        for (double[][] sy : pr) {
            double[] s = sy[0], y = sy[1];
            double rho = 0;
            for (int i = 0; i < d; i++) rho += s[i] * y[i];
            rho = 1 / rho;
            double[] e = new double[d * d], n = new double[d * d];   // E = I − ρ s yᵀ; H' = E H Eᵀ + ρ s sᵀ
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) e[i * d + j] = (i == j ? 1 : 0) - rho * s[i] * y[j];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
                double v = rho * s[i] * s[j];
                for (int k = 0; k < d; k++) for (int l = 0; l < d; l++) v += e[i * d + k] * h[k * d + l] * e[j * d + l];
                n[i * d + j] = v;
            }
            h = n;
        }
        List<double[]> s = new ArrayList<>(), y = new ArrayList<>();
        for (double[][] sy : pr) { s.add(sy[0]); y.add(sy[1]); }
        LowRankGaussian q = Pathfinder.gaussian(new double[d], new double[d], alpha, s, y, 6);
        double[] compact = dense(q);
        double scale = 0;
        for (double v : h) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < d * d; i++) assertEquals(h[i], compact[i], 1e-11 * scale, "entry " + i);
    }

    @Test void lowRankDrawsCarryTheirLogDensityAndItMatchesTheDenseGaussian() {
        int d = 6;
        List<double[][]> pr = pairs(d, 3, 9);
        List<double[]> s = new ArrayList<>(), y = new ArrayList<>();
        for (double[][] sy : pr) { s.add(sy[0]); y.add(sy[1]); }
        double[] x0 = {0.3, -1, 2, 0, 0.5, 1}, g0 = {1, 0, -1, 0.5, 0.2, 0};
        double[] alpha = {1, 2, 0.5, 1, 1.5, 0.7};
        LowRankGaussian q = Pathfinder.gaussian(x0, g0, alpha, s, y, 6);
        double[] cov = dense(q);
        int n = 20;
        double[] x = new double[n * d], lq = new double[n];
        q.sample(Rng.of(4, 0), n, x, lq);
        double[] again = q.logDensity(x, n);
        for (int i = 0; i < n; i++) {
            double[] row = java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d);
            assertEquals(lq[i], again[i], 1e-9);
            assertEquals(denseLogPdf(row, q.mu, cov), again[i], 1e-9);
        }
    }

    /**
     * Why Pathfinder can be exact on a Gaussian N(m, A⁻¹): for A-conjugate pairs (sᵢᵀ A sⱼ = 0, as exact line searches
     * give) BFGS has the hereditary property H yⱼ = sⱼ for every stored pair (quadratic termination of BFGS with exact line
     * searches; Fletcher, Practical Methods of Optimization, 1987, ch. 3), so
     * J ≥ d conjugate pairs give H = A⁻¹ whatever diag(α) is, and μ = x + H ∇log p(x) = m from any x (a Newton step).
     */
    @Test void conjugatePairsGiveTheExactCovarianceAndMean() {
        int d = 5;
        Gaussian g = Gaussian.correlated(d, 0.8);
        double[] cov = g.covariance(), prec = Linalg.inverseFromCholesky(Linalg.cholesky(cov, d), d);
        // A-conjugate directions: Gram–Schmidt of the unit vectors in the A inner product
        List<double[]> s = new ArrayList<>(), y = new ArrayList<>();
        for (int k = 0; k < d; k++) {
            double[] v = new double[d];
            v[k] = 1;
            for (double[] u : s) {
                double num = 0, den = 0;
                for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) { num += u[i] * prec[i * d + j] * v[j]; den += u[i] * prec[i * d + j] * u[j]; }
                for (int i = 0; i < d; i++) v[i] -= num / den * u[i];
            }
            double[] av = new double[d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) av[i] += prec[i * d + j] * v[j];
            s.add(v);
            y.add(av);
        }
        double[] x = {1, -2, 0.5, 3, -1}, gradF = new double[d];   // ∇(−log p)(x) = A (x − m)
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) gradF[i] += prec[i * d + j] * (x[j] - g.mean()[j]);
        double[] alpha = {0.3, 2, 1, 0.7, 5};
        LowRankGaussian q = Pathfinder.gaussian(x, gradF, alpha, s, y, 6);
        double[] est = dense(q);
        for (int i = 0; i < d * d; i++) assertEquals(cov[i], est[i], 1e-10 * 16);   // ‖Σ‖ ≤ 16 here: rounding only
        assertArrayEquals(g.mean(), q.mu, 1e-10 * 16);
    }

    /**
     * On an isotropic N(m, σ²I) every pair has y = s/σ², the paper's diagonal update then gives α = σ² from the first
     * pair, and BFGS updates of an exact H leave it exact: every Gaussian on the path is p itself, its ELBO is
     * log Z = 0 with no Monte Carlo error, and the run (through the Trainer) returns p to rounding.
     */
    @Test void exactOnIsotropicGaussiansThroughTheWholeMethod() {
        int d = 4;
        double var = 2.5;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) c[i][i] = var;
        double[] m = {1, -0.5, 2, 0};
        Gaussian g = new Gaussian(m, c);
        for (long seed = 1; seed <= 3; seed++) {
            Fit f = Sivi.method("pathfinder").iterations(1).dtype(DType.F64).draws(10).seed(seed).fit(g);
            LowRankGaussian q = new LowRankGaussian(f.params().get("path0.mu").toDoubleArray(), f.params().get("path0.alpha").toDoubleArray(),
                    f.params().get("path0.beta").toDoubleArray(), 12, f.params().get("path0.gamma").toDoubleArray());
            double[] est = dense(q);
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) assertEquals(i == j ? var : 0, est[i * d + j], 1e-12 * var);
            assertArrayEquals(m, q.mu, 1e-12 * var * 10);
            @SuppressWarnings("unchecked") List<Double> elbos = (List<Double>) f.session().report().get("path_elbos");
            assertEquals(0, elbos.get(0), 1e-12);
        }
    }

    /**
     * The whole method on a correlated Gaussian: with secant_step the line searches are exact on the quadratic −log p,
     * so the L-BFGS steps are A-conjugate (by induction: each new direction −H∇f is conjugate to the stored steps
     * because H yⱼ = sⱼ and ∇fᵀsⱼ = 0), and once d ≤ J pairs are stored Σ = A⁻¹ (previous test). The chosen Gaussian is
     * then p itself: covariance and mean to rounding, ELBO 0 (log Z = 0 for a normalised target) with no Monte Carlo
     * error. Without secant_step the same runs are off by 0.1–1 in some covariance entry (docs/algorithms.md#pathfinder).
     */
    @Test void secantStepsMakeItExactOnACorrelatedGaussian() {
        int d = 5;
        Gaussian g = Gaussian.correlated(d, 0.8);
        double[] cov = g.covariance();
        for (long seed = 1; seed <= 4; seed++) {
            Fit f = Sivi.method("pathfinder").iterations(1).dtype(DType.F64).draws(10).seed(seed).fit(g);
            LowRankGaussian q = new LowRankGaussian(f.params().get("path0.mu").toDoubleArray(), f.params().get("path0.alpha").toDoubleArray(),
                    f.params().get("path0.beta").toDoubleArray(), 12, f.params().get("path0.gamma").toDoubleArray());
            double[] est = dense(q);
            // conjugacy holds to the rounding of the secant roots, compounded over d steps: 1e-7 allows for that and is
            // six orders below the 0.1–1 errors of plain Wolfe steps
            for (int i = 0; i < d * d; i++) assertEquals(cov[i], est[i], 1e-7, "seed " + seed + " entry " + i);
            assertArrayEquals(g.mean(), q.mu, 1e-7, "seed " + seed);
            @SuppressWarnings("unchecked") List<Double> elbos = (List<Double>) f.session().report().get("path_elbos");
            assertEquals(0, elbos.get(0), 1e-7, "seed " + seed);
            // the control: the paper's plain Wolfe steps are not conjugate, and the covariance misses by far more
            Fit plain = Sivi.method("pathfinder").set("secant_step", "false").iterations(1).dtype(DType.F64).draws(10).seed(seed).fit(g);
            double[] off = dense(new LowRankGaussian(plain.params().get("path0.mu").toDoubleArray(), plain.params().get("path0.alpha").toDoubleArray(),
                    plain.params().get("path0.beta").toDoubleArray(), 12, plain.params().get("path0.gamma").toDoubleArray()));
            double worst = 0;
            for (int i = 0; i < d * d; i++) worst = Math.max(worst, Math.abs(off[i] - cov[i]));
            assertTrue(worst > 1e-3, "seed " + seed + ": Wolfe steps alone gave an exact covariance (max error " + worst + ")");
        }
    }

    /**
     * log p = log(x + 1) − x²/2 is finite only for x > −1: a start in (−r, −1] fails at once and is replaced by a
     * fresh one (its cost counted), so every path still runs; a log p finite nowhere fails every start of the
     * first path, which is the error.
     */
    /** log p = log(x + 1) − x²/2, finite only for x > −1 (1-D; its mode is at (√5 − 1)/2). */
    static sivi.targets.Target halfLine() {
        return sivi.targets.Target.of("half-line", 1, x -> sivi.autodiff.Ops.sub(
                sivi.autodiff.Ops.reshape(sivi.autodiff.Ops.log(sivi.autodiff.Ops.addScalar(x, 1)), x.dim(0)),
                sivi.autodiff.Ops.scale(sivi.autodiff.Ops.sum(sivi.autodiff.Ops.square(x), 1, false), 0.5)));
    }

    /** log p = log(−(x² + 1)): finite nowhere. */
    static sivi.targets.Target nowhere() {
        return sivi.targets.Target.of("nowhere", 1, x -> sivi.autodiff.Ops.reshape(
                sivi.autodiff.Ops.log(sivi.autodiff.Ops.scale(sivi.autodiff.Ops.addScalar(sivi.autodiff.Ops.square(x), 1), -1)), x.dim(0)));
    }

    @Test void failedStartsAreReplacedAndAllFailingIsOneError() {
        sivi.targets.Target half = halfLine();
        int replaced = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Fit f = Sivi.method("pathfinder").set("paths", "4").set("init_radius", "4").iterations(4).dtype(DType.F64).draws(100).seed(seed).fit(half);
            var rep = f.session().report();
            assertEquals(4, rep.get("paths_run"), "seed " + seed);
            assertEquals(0, rep.get("paths_failed"), "seed " + seed);
            replaced += (int) rep.get("starts_failed");
            for (double v : f.samples().toDoubleArray()) assertTrue(v > -1, "seed " + seed + ": a draw outside the support");
        }
        // 20 paths with P(start ≤ −1) = 3/8 each: no replaced start at all has probability (5/8)^20 ≈ 8e-5
        assertTrue(replaced > 0, "no start was replaced in 5 seeds × 4 paths");
        sivi.targets.Target nowhere = nowhere();
        for (String paths : new String[] {"1", "3"}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Sivi.method("pathfinder").set("paths", paths).iterations(3).dtype(DType.F64).draws(10).seed(1).fit(nowhere));
            assertTrue(e.getMessage().contains(Modes.START_TRIES + " starts tried"), e.getMessage());
        }
    }

    @Test void oneDimensionalGaussianIsExactFromTheFirstPair() {
        // in 1-D the secant equation alone fixes H = s/y = σ²
        Gaussian g = new Gaussian(new double[] {3}, new double[][] {{0.49}});
        Fit f = Sivi.method("pathfinder").iterations(1).dtype(DType.F64).draws(10).seed(5).fit(g);
        assertEquals(3, f.params().get("path0.mu").toDoubleArray()[0], 1e-12);
        LowRankGaussian q = new LowRankGaussian(f.params().get("path0.mu").toDoubleArray(), f.params().get("path0.alpha").toDoubleArray(),
                f.params().get("path0.beta").toDoubleArray(), 12, f.params().get("path0.gamma").toDoubleArray());
        assertEquals(0.49, dense(q)[0], 1e-12);
    }

    @Test void multiPathResamplingRunsOnBananaAndLogisticRegressionAndReportsItsCost() {
        for (String name : new String[] {"banana", "lr-waveform"}) {
            Fit f = Sivi.method("pathfinder").preset("pathfinder-" + name).iterations(4).draws(200).seed(1).fit(sivi.targets.Targets.create(name));
            var rep = f.session().report();
            assertEquals(4, rep.get("paths_run"), name);
            assertTrue((long) rep.get("gradient_evals") > 0, name);
            assertTrue(Double.isFinite((double) rep.get("psis_khat")), name);
            assertTrue(f.session().logDensity(f.samples()).isEmpty(), "resampled draws have no closed-form q");
            for (double v : f.samples().toDoubleArray()) assertTrue(Double.isFinite(v), name);
        }
    }
}
