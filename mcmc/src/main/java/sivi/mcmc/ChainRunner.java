package sivi.mcmc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import sivi.kernels.Rng;

/**
 * Runs several chains of one {@link Transition} with Stan's warm-up: dual-averaging step size
 * ({@link DualAveraging}) throughout, diagonal metric re-estimated at the end of each slow window of
 * {@link WarmupSchedule} from the window's draws with Stan's regularisation
 * <pre>  var_i &lt;- n/(n+5) var_i + 1e-3 * 5/(n+5)  </pre>
 * followed by the step-size heuristic and a restart of dual averaging. Each chain gets its own
 * generator from {@code rng.split()}, taken in chain order before any chain starts, so the
 * result does not depend on the number of threads.
 * <p>As implemented: docs/algorithms.md#nuts.
 */
final class ChainRunner {
    private ChainRunner() {}

    static McmcResult run(Transition kernel, LogDensityGradient target, double[][] inits, Rng rng,
                          int warmup, int draws, int threads, double targetAccept, boolean adaptMetric, Keep keep) {
        int chains = inits.length, d = target.dim();
        for (double[] x : inits)
            if (x.length != d) throw new IllegalArgumentException("initial point has length " + x.length + ", target dim " + d);
        Rng[] rngs = new Rng[chains];
        for (int c = 0; c < chains; c++) rngs[c] = rng.split();
        ChainOutput[] out = new ChainOutput[chains];
        long t0 = System.nanoTime();
        if (threads <= 1 || chains == 1) {
            for (int c = 0; c < chains; c++) out[c] = chain(kernel, target, inits[c], rngs[c], warmup, draws, targetAccept, adaptMetric, keep);
        } else {
            try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chains))) {
                List<Future<ChainOutput>> fs = new ArrayList<>();
                for (int c = 0; c < chains; c++) {
                    final int cc = c;
                    fs.add(pool.submit(() -> chain(kernel, target, inits[cc], rngs[cc], warmup, draws, targetAccept, adaptMetric, keep)));
                }
                for (int c = 0; c < chains; c++) out[c] = fs.get(c).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sampling", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            }
        }
        long wall = System.nanoTime() - t0;
        double[][][] x = new double[chains][][];
        double[] eps = new double[chains];
        double[][] inv = new double[chains][], acc = new double[chains][], lp = new double[chains][], energy = new double[chains][];
        boolean[][] div = new boolean[chains][];
        int[][] depth = new int[chains][], leap = new int[chains][];
        int[] wdiv = new int[chains];
        for (int c = 0; c < chains; c++) {
            x[c] = out[c].kept.draws; eps[c] = out[c].eps; inv[c] = out[c].invMetric; acc[c] = out[c].kept.accept;
            div[c] = out[c].kept.divergent; depth[c] = out[c].kept.depth; leap[c] = out[c].kept.leapfrogs; wdiv[c] = out[c].warmupDivergences;
            lp[c] = out[c].kept.logDensity; energy[c] = out[c].kept.energy;
        }
        McmcResult.Warmup w = null;
        if (keep.warmup()) {
            int m = keep.kept(warmup);
            w = new McmcResult.Warmup(new double[chains][][], new double[chains][], new boolean[chains][], new int[chains][], new int[chains][],
                    new double[chains][], new double[chains][], new double[chains][]);
            for (int c = 0; c < chains; c++) {
                Kept k = out[c].warm;
                w.draws()[c] = k.draws; w.stepSize()[c] = k.eps; w.divergent()[c] = k.divergent; w.treeDepth()[c] = k.depth;
                w.leapfrogs()[c] = k.leapfrogs; w.acceptStat()[c] = k.accept; w.logDensity()[c] = k.logDensity; w.energy()[c] = k.energy;
                assert k.draws.length == m;
            }
        }
        return new McmcResult(x, eps, inv, div, depth, leap, acc, lp, energy, wdiv, wall, w);
    }

    private record ChainOutput(Kept kept, Kept warm, double eps, double[] invMetric, int warmupDivergences) {}

    /** The kept iterations of one phase of one chain (m of them), with the statistics of the transitions that produced them. */
    private static final class Kept {
        final double[][] draws; final double[] eps, accept, logDensity, energy; final boolean[] divergent; final int[] depth, leapfrogs;
        private int n;

        Kept(int m) {
            draws = new double[m][]; eps = new double[m]; accept = new double[m]; logDensity = new double[m]; energy = new double[m];
            divergent = new boolean[m]; depth = new int[m]; leapfrogs = new int[m];
        }

        void add(PhasePoint z, double stepSize, Transition.Stats s) {
            draws[n] = z.q.clone(); eps[n] = stepSize; accept[n] = s.acceptStat(); logDensity[n] = z.logp; energy[n] = s.energy();
            divergent[n] = s.divergent(); depth[n] = s.treeDepth(); leapfrogs[n] = s.leapfrogs();
            n++;
        }
    }

    private static ChainOutput chain(Transition kernel, LogDensityGradient target, double[] init, Rng rng,
                                     int warmup, int draws, double targetAccept, boolean adaptMetric, Keep keep) {
        int d = target.dim();
        PhasePoint z = new PhasePoint(d);
        System.arraycopy(init, 0, z.q, 0, d);
        z.logp = target.evaluate(z.q, z.grad);
        if (!finite(z.logp, z.grad))
            throw new IllegalArgumentException("log density or its gradient is not finite at the initial point (log density " + z.logp + ")");
        double[] invMetric = new double[d];
        java.util.Arrays.fill(invMetric, 1.0);
        double eps = initialStepSize(target, z, 1.0, invMetric, rng);
        DualAveraging da = new DualAveraging(targetAccept);
        da.restart(eps);
        WarmupSchedule schedule = adaptMetric ? WarmupSchedule.of(warmup) : WarmupSchedule.of(0);
        Welford window = new Welford(d);
        int warmupDivergences = 0;
        Kept warm = keep.warmup() ? new Kept(keep.kept(warmup)) : null;
        for (int it = 0; it < warmup; it++) {
            Transition.Stats s = kernel.step(target, z, eps, invMetric, rng);
            if (s.divergent()) warmupDivergences++;
            if (warm != null && it % keep.thin() == 0) warm.add(z, eps, s);
            eps = da.update(s.acceptStat());
            if (schedule.windowOf(it) >= 0) window.add(z.q);
            if (schedule.endsWindow(it)) {
                int n = window.count();
                double[] var = window.variance();
                for (int i = 0; i < d; i++) invMetric[i] = (n / (n + 5.0)) * var[i] + 1e-3 * (5.0 / (n + 5.0));
                window.reset();
                eps = initialStepSize(target, z, eps, invMetric, rng);
                da.restart(eps);
            }
        }
        if (warmup > 0) eps = da.finalStepSize();
        Kept kept = new Kept(keep.kept(draws));
        for (int n = 0; n < draws; n++) {
            Transition.Stats s = kernel.step(target, z, eps, invMetric, rng);
            if (n % keep.thin() == 0) kept.add(z, eps, s);
        }
        return new ChainOutput(kept, warm, eps, invMetric, warmupDivergences);
    }

    /** Whether a log density and its gradient are finite (Stan rejects an initial point otherwise). */
    static boolean finite(double logp, double[] grad) {
        if (!Double.isFinite(logp)) return false;
        for (double g : grad) if (!Double.isFinite(g)) return false;
        return true;
    }

    /** Attempts at a random initial point before giving up, as Stan. */
    static final int INIT_ATTEMPTS = 100;

    /**
     * One initial point per chain, uniform in [-2, 2]^d (Stan's default), each redrawn (up to
     * {@value #INIT_ATTEMPTS} times, as Stan) while the log density or its gradient is not finite there.
     * Draws from a split of {@code rng}; a point that is finite on the first draw is the one
     * drawn before redraws existed.
     */
    static double[][] uniformInits(LogDensityGradient target, int chains, Rng rng) {
        Rng r = rng.split();
        int d = target.dim();
        double[][] x = new double[chains][d];
        double[] grad = new double[d];
        for (int c = 0; c < chains; c++) {
            for (int attempt = 1; ; attempt++) {
                for (int i = 0; i < d; i++) x[c][i] = 4 * r.nextDouble() - 2;
                if (finite(target.evaluate(x[c], grad), grad)) break;
                if (attempt == INIT_ATTEMPTS)
                    throw new IllegalArgumentException("no initial point with a finite log density and gradient in " + INIT_ATTEMPTS
                            + " draws uniform in [-2, 2]^" + d + " (chain " + (c + 1) + "): give an initial point inside the support");
            }
        }
        return x;
    }

    /**
     * Stan's step-size heuristic (Hoffman &amp; Gelman 2014, Algorithm 4, with Stan's 0.8 threshold):
     * doubles or halves eps until the acceptance probability exp(H0 - H) of one leapfrog step from a
     * fresh momentum crosses 0.8. The state is left unchanged apart from its momentum.
     */
    static double initialStepSize(LogDensityGradient target, PhasePoint z, double eps, double[] invMetric, Rng rng) {
        PhasePoint w = new PhasePoint(z.q.length);
        double logThreshold = Math.log(0.8);
        w.copyFrom(z);
        w.sampleMomentum(rng, invMetric);
        double h0 = w.hamiltonian(invMetric);
        w.leapfrog(target, eps, invMetric);
        int direction = h0 - w.hamiltonian(invMetric) > logThreshold ? 1 : -1;
        for (int iter = 0; iter < 100; iter++) {
            w.copyFrom(z);
            w.sampleMomentum(rng, invMetric);
            h0 = w.hamiltonian(invMetric);
            w.leapfrog(target, eps, invMetric);
            double deltaH = h0 - w.hamiltonian(invMetric);
            if (direction == 1 && !(deltaH > logThreshold)) break;
            if (direction == -1 && !(deltaH < logThreshold)) break;
            eps = direction == 1 ? 2 * eps : 0.5 * eps;
            if (eps > 1e7) throw new IllegalStateException("step size heuristic diverged to " + eps + ": is the density improper?");
            if (eps == 0) throw new IllegalStateException("step size heuristic collapsed to 0: density or gradient not finite?");
        }
        return eps;
    }

    /** Welford's running mean and variance (denominator n - 1) per coordinate. */
    static final class Welford {
        private final double[] mean, m2;
        private int n;

        Welford(int d) { mean = new double[d]; m2 = new double[d]; }

        void add(double[] x) {
            n++;
            for (int i = 0; i < x.length; i++) {
                double delta = x[i] - mean[i];
                mean[i] += delta / n;
                m2[i] += delta * (x[i] - mean[i]);
            }
        }

        int count() { return n; }

        double[] variance() {
            double[] v = new double[mean.length];
            for (int i = 0; i < v.length; i++) v[i] = n > 1 ? m2[i] / (n - 1) : 1.0;
            return v;
        }

        void reset() { n = 0; java.util.Arrays.fill(mean, 0); java.util.Arrays.fill(m2, 0); }
    }
}
