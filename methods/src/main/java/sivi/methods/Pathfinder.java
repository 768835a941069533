package sivi.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sivi.fit.Method;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.metrics.Psis;
import sivi.optim.Lbfgs;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Pathfinder (Zhang, Carpenter, Gelman &amp; Vehtari, JMLR 2022; docs/algorithms.md#pathfinder). One path:
 * L-BFGS on −log p from x₀ ~ U(−r, r)^d; at every iterate x_l the inverse-Hessian estimate of the last J
 * curvature pairs (s, y with yᵀs &gt; ε‖y‖², ε = 2.2e-16) in the compact form of Byrd, Nocedal &amp; Schnabel (1994)
 * over a diagonal α (Gilbert &amp; Lemaréchal's update, the paper's Alg. 3):
 * <pre>  Σ_l = diag(α) + β γ βᵀ,  β = [diag(α) Y, S],  γ = [[0, −R⁻¹], [−R⁻ᵀ, R⁻ᵀ(E + Yᵀdiag(α)Y)R⁻¹]],
 *   R = upper triangle of SᵀY, E = its diagonal;  μ_l = x_l + Σ_l ∇log p(x_l), </pre>
 * the ELBO of N(μ_l, Σ_l) from K = elbo_draws draws, and the approximation with the largest ELBO.
 * Multi-path (paths = P &gt; 1): Trainer iteration p runs path p (its own start from that iteration's randomness);
 * the draws are M = n per path pooled, weighted by log p − log q_p, Pareto-smoothed (PSIS) and resampled with
 * replacement to n (the paper's Alg. 2; its k̂ is reported). Iterations ≥ P change nothing.
 * Cost: {@code gradient_evals} counts L-BFGS evaluations of (log p, ∇log p); {@code log_density_evals} the
 * ELBO and resampling draws (log p only).
 */
public final class Pathfinder implements Method {
    @Override public String name() { return "pathfinder"; }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("pathfinder",
            "Pathfinder (Zhang et al. 2022): Gaussians along the L-BFGS path, the one with the best ELBO; multi-path with PSIS resampling",
            List.of(OptionSpec.integer("paths", 1, "independent paths, one per iteration (> 1: importance resampling over them)").min(1),
                    OptionSpec.integer("elbo_draws", 5, "Monte Carlo draws K for each iterate's ELBO").min(1),
                    OptionSpec.real("init_radius", 2.0, "starts are uniform on (−r, r)^d").positive(),
                    OptionSpec.integer("history", 6, "L-BFGS history J (also the rank of the Gaussians: 2J)").min(1),
                    OptionSpec.integer("max_iters", 1000, "L-BFGS iterations per path").min(1),
                    OptionSpec.real("grad_tol", 1e-8, "stop when max |∂ log p/∂x_i| ≤ grad_tol").positive(),
                    OptionSpec.bool("secant_step", true, "one secant step on φ' after each Wolfe step: exact line searches on a quadratic, so exact on Gaussians with d ≤ history (one more gradient per iteration)")),
            Pathfinder::new);

    record Config(int paths, int elboDraws, double radius, int history, Lbfgs.Config lbfgs) {}

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int history = o.getInt("history", 6);
        Config c = new Config(o.getInt("paths", 1), o.getInt("elbo_draws", 5), o.getDouble("init_radius", 2.0), history,
                Lbfgs.Config.defaults().withHistory(history).withMaxIterations(o.getInt("max_iters", 1000)).withTolerances(o.getDouble("grad_tol", 1e-8), 1e-13)
                        .withSecantStep(o.getBool("secant_step", true)));
        int d = target.dim(), w = 2 * history;
        TrainState state = new TrainState();
        // per path: the chosen Gaussian (zero-padded to 2J columns) and {ELBO, gradient evals, log-density evals, done}
        for (int p = 0; p < c.paths(); p++) {
            double[] ones = new double[d];
            java.util.Arrays.fill(ones, 1);
            state.params().add(key(p, "mu"), Tensor.zeros(DType.F64, 1, d));
            state.params().add(key(p, "alpha"), Tensor.of(DType.F64, ones, 1, d));
            state.params().add(key(p, "beta"), Tensor.zeros(DType.F64, d, w));
            state.params().add(key(p, "gamma"), Tensor.zeros(DType.F64, w, w));
            state.params().add(key(p, "stats"), Tensor.of(DType.F64, new double[] {Double.NEGATIVE_INFINITY, 0, 0, 0}, 1, 4));
        }
        return new PathfinderSession(state, target, c, dtype);
    }

    private static String key(int path, String what) { return "path" + path + "." + what; }


    /** The chosen approximation of one path and what it cost. */
    record PathResult(LowRankGaussian q, double elbo, int iteration, long gradientEvals, long densityEvals, String stop) {}

    /**
     * One single-path Pathfinder run from x0: L-BFGS, then the Gaussian at every iterate l ≥ 1 that has at
     * least one curvature pair, its ELBO from K draws of rng, and the best one.
     */
    static PathResult path(Target t, double[] x0, Config c, Rng rng) {
        long[] grads = {0};
        Lbfgs.Result run;
        try {
            run = Lbfgs.minimize(Modes.negLogDensity(t, grads), x0, c.lbfgs());
        } catch (IllegalArgumentException e) {   // log p or its gradient not finite at the start
            throw new PathFailed("pathfinder: " + e.getMessage(), grads[0], 0);
        }
        int d = x0.length, jMax = c.history();
        double[] alpha = new double[d];
        java.util.Arrays.fill(alpha, 1);
        List<double[]> s = new ArrayList<>(), y = new ArrayList<>();
        LowRankGaussian best = null;
        double bestElbo = Double.NEGATIVE_INFINITY;
        int bestIt = -1;
        long dens = 0;
        for (int l = 1; l < run.path().size(); l++) {
            Lbfgs.Iterate a = run.path().get(l - 1), b = run.path().get(l);
            double[] sl = new double[d], yl = new double[d];
            for (int i = 0; i < d; i++) { sl[i] = b.x()[i] - a.x()[i]; yl[i] = b.grad()[i] - a.grad()[i]; }
            double sy = dot(sl, yl);
            if (sy > 2.2e-16 * dot(yl, yl)) {
                alpha = diagonalUpdate(alpha, sl, yl);
                s.add(sl);
                y.add(yl);
                if (s.size() > jMax) { s.remove(0); y.remove(0); }
            }
            if (s.isEmpty()) continue;
            LowRankGaussian q;
            try {
                q = gaussian(b.x(), b.grad(), alpha, s, y, jMax);
            } catch (IllegalArgumentException e) {
                continue;   // rounding made Σ indefinite at this iterate: skip it
            }
            double[] x = new double[c.elboDraws() * d], lq = new double[c.elboDraws()];
            q.sample(rng, c.elboDraws(), x, lq);
            double[] lp = Modes.logDensity(t, x, c.elboDraws());
            dens += c.elboDraws();
            double elbo = 0;
            for (int k = 0; k < lq.length; k++) elbo += (lp[k] - lq[k]) / lq.length;
            if (Double.isNaN(elbo)) elbo = Double.NEGATIVE_INFINITY;
            if (elbo > bestElbo) { bestElbo = elbo; best = q; bestIt = l; }
        }
        if (best == null)
            throw new PathFailed("pathfinder: no iterate of the L-BFGS path (" + run.iterations() + " iterations, stopped by " + run.reason()
                    + ") gave a Gaussian with a finite ELBO; try another seed or --set init_radius=", grads[0], dens);
        return new PathResult(best, bestElbo, bestIt, grads[0], dens, run.reason());
    }

    /** A path with no usable Gaussian, and what it cost (multi-path Pathfinder drops it and goes on). */
    static final class PathFailed extends IllegalArgumentException {
        final long gradientEvals, densityEvals;

        PathFailed(String message, long gradientEvals, long densityEvals) {
            super(message);
            this.gradientEvals = gradientEvals; this.densityEvals = densityEvals;
        }
    }

    /**
     * The paper's Alg. 3 (Gilbert &amp; Lemaréchal 1989): the diagonal of the BFGS update of the Hessian
     * estimate diag(1/α), after scaling it by a/b: α'_i = 1 / (a/(b α_i) + y_i²/b − a s_i²/(b c α_i²)),
     * a = yᵀdiag(α)y, b = yᵀs, c = sᵀdiag(α)⁻¹s.
     */
    static double[] diagonalUpdate(double[] alpha, double[] s, double[] y) {
        int d = alpha.length;
        double a = 0, b = 0, c = 0;
        for (int i = 0; i < d; i++) { a += y[i] * alpha[i] * y[i]; b += y[i] * s[i]; c += s[i] * s[i] / alpha[i]; }
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double v = 1 / (a / (b * alpha[i]) + y[i] * y[i] / b - a * s[i] * s[i] / (b * c * alpha[i] * alpha[i]));
            out[i] = v > 0 && Double.isFinite(v) ? v : alpha[i];   // keep the old entry where rounding breaks positivity
        }
        return out;
    }

    /** N(x + Σ∇log p(x), Σ) with Σ the compact inverse Hessian of the pairs (oldest first) over diag(α); gradF = ∇(−log p)(x). */
    static LowRankGaussian gaussian(double[] x, double[] gradF, double[] alpha, List<double[]> s, List<double[]> y, int jMax) {
        int d = x.length, m = s.size(), w = 2 * jMax;
        double[] rInv = upperInverse(s, y);
        // N = E + Yᵀ diag(α) Y, then the lower-right block R⁻ᵀ N R⁻¹
        double[] n = new double[m * m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
            double v = i == j ? dot(s.get(i), y.get(i)) : 0;
            for (int k = 0; k < d; k++) v += y.get(i)[k] * alpha[k] * y.get(j)[k];
            n[i * m + j] = v;
        }
        double[] br = new double[m * m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
            double v = 0;
            for (int a = 0; a < m; a++) for (int b = 0; b < m; b++) v += rInv[a * m + i] * n[a * m + b] * rInv[b * m + j];
            br[i * m + j] = v;
        }
        // β = [diag(α) Y, S] zero-padded to w = 2J columns; γ likewise (padding adds nothing to Σ)
        double[] beta = new double[d * w], gamma = new double[w * w];
        for (int k = 0; k < d; k++) for (int j = 0; j < m; j++) { beta[k * w + j] = alpha[k] * y.get(j)[k]; beta[k * w + jMax + j] = s.get(j)[k]; }
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
            gamma[i * w + jMax + j] = -rInv[i * m + j];
            gamma[(jMax + j) * w + i] = -rInv[i * m + j];
            gamma[(jMax + i) * w + jMax + j] = br[i * m + j];
        }
        LowRankGaussian cov = new LowRankGaussian(new double[d], alpha.clone(), beta, w, gamma);
        double[] step = cov.covTimes(gradF);
        double[] mu = new double[d];
        for (int i = 0; i < d; i++) mu[i] = x[i] - step[i];
        return new LowRankGaussian(mu, alpha.clone(), beta, w, gamma);
    }

    /** R⁻¹ for R_ij = s_iᵀ y_j (i ≤ j), 0 below the diagonal (m×m, by back substitution per column). */
    private static double[] upperInverse(List<double[]> s, List<double[]> y) {
        int m = s.size();
        double[] r = new double[m * m], inv = new double[m * m];
        for (int i = 0; i < m; i++) for (int j = i; j < m; j++) r[i * m + j] = dot(s.get(i), y.get(j));
        for (int col = 0; col < m; col++)
            for (int i = m - 1; i >= 0; i--) {
                double v = i == col ? 1 : 0;
                for (int k = i + 1; k < m; k++) v -= r[i * m + k] * inv[k * m + col];
                inv[i * m + col] = v / r[i * m + i];
            }
        return inv;
    }

    private static double dot(double[] a, double[] b) {
        double v = 0;
        for (int i = 0; i < a.length; i++) v += a[i] * b[i];
        return v;
    }

    private static final class PathfinderSession implements Session {
        private final TrainState state;
        private final Target target;
        private final Config c;
        private final DType dtype;
        private final String[] stops;
        private double resampleKhat = Double.NaN;
        private int failedStarts;   // starts replaced by a fresh one in this process (not in the checkpoint)

        PathfinderSession(TrainState state, Target target, Config c, DType dtype) {
            this.state = state; this.target = target; this.c = c; this.dtype = dtype; this.stops = new String[c.paths()];
        }

        @Override public TrainState state() { return state; }

        private double[] stats(int p) { return state.params().get(key(p, "stats")).toDoubleArray(); }

        private List<Integer> done() {
            List<Integer> out = new ArrayList<>();
            for (int p = 0; p < c.paths(); p++) if (stats(p)[3] > 0) out.add(p);
            return out;
        }

        private LowRankGaussian approximation(int p) {
            int d = target.dim(), w = 2 * c.history();
            return new LowRankGaussian(state.params().get(key(p, "mu")).toDoubleArray(), state.params().get(key(p, "alpha")).toDoubleArray(),
                    state.params().get(key(p, "beta")).toDoubleArray(), w, state.params().get(key(p, "gamma")).toDoubleArray());
        }

        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            if (iteration < c.paths()) {
                PathResult r = null;
                long lostGrads = 0, lostDens = 0;
                // a start whose path yields no usable Gaussian (a start in a region where log p overflows, say) is
                // replaced by a fresh one, up to Modes.START_TRIES; its cost still counts
                for (int tries = 1; r == null; tries++) {
                    try {
                        r = path(target, Modes.uniformStart(rng, target.dim(), c.radius()), c, rng);
                    } catch (PathFailed e) {
                        lostGrads += e.gradientEvals; lostDens += e.densityEvals;
                        failedStarts++;
                        if (tries < Modes.START_TRIES) continue;
                        // a path slot that failed every start: multi-path drops it (as Stan drops failed paths) once
                        // another path has succeeded; with none to fall back on it is the error
                        if (c.paths() == 1 || done().isEmpty()) throw new IllegalArgumentException(e.getMessage() + " (" + Modes.START_TRIES + " starts tried)");
                        state.params().put(key(iteration, "stats"), Tensor.of(DType.F64, new double[] {Double.NEGATIVE_INFINITY, lostGrads, lostDens, -1}, 1, 4));
                        stops[iteration] = "failed after " + Modes.START_TRIES + " starts: " + e.getMessage();
                        double best = Double.NEGATIVE_INFINITY;
                        for (int p : done()) best = Math.max(best, stats(p)[0]);
                        return StepInfo.of(-best);
                    }
                }
                int d = target.dim(), w = 2 * c.history();
                state.params().put(key(iteration, "mu"), Tensor.of(DType.F64, r.q().mu, 1, d));
                state.params().put(key(iteration, "alpha"), Tensor.of(DType.F64, r.q().alpha, 1, d));
                state.params().put(key(iteration, "beta"), Tensor.of(DType.F64, r.q().beta, d, w));
                state.params().put(key(iteration, "gamma"), Tensor.of(DType.F64, r.q().gamma, w, w));
                state.params().put(key(iteration, "stats"), Tensor.of(DType.F64, new double[] {r.elbo(), r.gradientEvals() + lostGrads, r.densityEvals() + lostDens, 1}, 1, 4));
                stops[iteration] = r.stop();
            }
            double best = Double.NEGATIVE_INFINITY;
            for (int p : done()) best = Math.max(best, stats(p)[0]);
            return StepInfo.of(-best);
        }

        /** One path: its Gaussian's draws. Several: M = n draws per path, PSIS weights, n resampled with replacement. */
        @Override public Tensor sample(Rng rng, int n) {
            int d = target.dim();
            List<Integer> paths = done();
            if (paths.isEmpty()) paths = List.of(0);   // no path run yet (0 iterations): the initial N(0, I)
            if (paths.size() == 1 || n == 0) {
                double[] x = new double[n * d], lq = new double[n];
                approximation(paths.get(0)).sample(rng, n, x, lq);
                return Tensor.of(dtype, x, n, d);
            }
            int total = n * paths.size();
            double[] x = new double[total * d], lr = new double[total];
            for (int k = 0; k < paths.size(); k++) {
                double[] xk = new double[n * d], lq = new double[n];
                approximation(paths.get(k)).sample(rng, n, xk, lq);
                double[] lp = Modes.logDensity(target, xk, n);
                System.arraycopy(xk, 0, x, k * n * d, n * d);
                for (int i = 0; i < n; i++) lr[k * n + i] = lp[i] - lq[i];
            }
            // draws where log p is not finite get weight 0: PSIS runs on the others
            int[] keep = java.util.stream.IntStream.range(0, total).filter(i -> Double.isFinite(lr[i])).toArray();
            if (keep.length < 10) throw new IllegalArgumentException("pathfinder: only " + keep.length + " of " + total + " draws have a finite log p; cannot resample");
            double[] kept = new double[keep.length];
            for (int i = 0; i < keep.length; i++) kept[i] = lr[keep[i]];
            Psis.Result ps = Psis.smooth(kept);
            resampleKhat = ps.khat();
            double[] cum = new double[keep.length];
            double acc = 0;
            for (int i = 0; i < keep.length; i++) { acc += Math.exp(ps.logWeights()[i]); cum[i] = acc; }
            double[] out = new double[n * d];
            for (int j = 0; j < n; j++) {
                double u = rng.nextDouble() * acc;
                int i = java.util.Arrays.binarySearch(cum, u);
                i = Math.min(keep.length - 1, i < 0 ? -i - 1 : i);
                System.arraycopy(x, keep[i] * d, out, j * d, d);
            }
            return Tensor.of(dtype, out, n, d);
        }

        /** Single path: the chosen Gaussian's density. Multi-path draws are resampled, so they have no closed-form q. */
        @Override public Optional<double[]> logDensity(Tensor x) {
            List<Integer> paths = done();
            if (paths.size() > 1) return Optional.empty();
            return Optional.of(approximation(paths.isEmpty() ? 0 : paths.get(0)).logDensity(x.toDoubleArray(), x.dim(0)));
        }

        @Override public Map<String, Object> report() {
            Map<String, Object> out = new LinkedHashMap<>();
            long grads = 0, dens = 0;
            int failed = 0;
            List<Double> elbos = new ArrayList<>();
            for (int p = 0; p < c.paths(); p++) {
                double[] s = stats(p);
                if (s[3] == 0) continue;   // not run yet
                grads += (long) s[1];
                dens += (long) s[2];
                if (s[3] > 0) elbos.add(s[0]);
                else failed++;
            }
            out.put("gradient_evals", grads);
            out.put("log_density_evals", dens);
            out.put("paths_run", elbos.size());
            out.put("paths_failed", failed);
            out.put("starts_failed", failedStarts);
            out.put("path_elbos", elbos);
            if (done().size() > 1 && !Double.isNaN(resampleKhat)) out.put("psis_khat", resampleKhat);
            List<String> st = new ArrayList<>();
            for (String s : stops) if (s != null) st.add(s);
            if (!st.isEmpty()) out.put("lbfgs_stop", st);
            return out;
        }
    }
}
