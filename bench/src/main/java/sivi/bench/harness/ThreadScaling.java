package sivi.bench.harness;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Registry;
import sivi.fit.Session;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;

/**
 * The speed-up of a training step from one thread to T, read on a host whose speed drifts: both sessions live in one
 * JVM and run in alternating rounds (a block of one-thread steps, then a block of T-thread steps), and the figure is
 * the median of the per-round ratios, so a drift slower than a round cancels. Two runs of {@code bench step} with
 * different thread counts can land on different host speeds minutes apart (issue #21's notes: one thread's median moved
 * between 1.1 and 1.7 ms), which made their ratio unreadable.
 *
 * <p>Each round also times a <em>ceiling probe</em>: T independent vector FMA loops, together as long as a one-thread
 * step, run one after the other on one thread and as T parts on the T-thread backend (one hand-over, no memory
 * traffic). Its ratio is what the host gives perfectly parallel compute in those same minutes; on a shared virtual
 * machine it was seen anywhere between 1.1 and 2.0 for two threads, so a step's speed-up is only read against it.
 */
public final class ThreadScaling {
    private ThreadScaling() {}

    /** Medians over the rounds; efficiency is the median of the per-round quotients speed-up / ceiling. */
    public record Result(String method, String target, int batch, int threads, String dtype, int rounds, int block,
                         double oneMs, double manyMs, double speedup, double speedupQ1, double speedupQ3,
                         double ceiling, double ceilingQ1, double ceilingQ3, double efficiency) {

        public String key() { return method + "/" + target + "/N" + batch + "/t" + threads + "/" + dtype; }

        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", method); o.put("target", target); o.put("batch", batch); o.put("threads", threads); o.put("dtype", dtype);
            o.put("rounds", rounds); o.put("block", block);
            o.put("one_thread_median_ms", oneMs); o.put("threads_median_ms", manyMs);
            o.put("speedup_median", speedup); o.put("speedup_q1", speedupQ1); o.put("speedup_q3", speedupQ3);
            o.put("ceiling_median", ceiling); o.put("ceiling_q1", ceilingQ1); o.put("ceiling_q3", ceilingQ3);
            o.put("efficiency_median", efficiency);
            return o;
        }
    }

    private static volatile float sink;

    /**
     * Alternates {@code rounds} rounds of {@code block} steps on one thread and {@code block} steps on {@code threads}
     * threads (after a warm-up of both until C2 has compiled them), each round followed by the ceiling probe.
     */
    public static Result run(String methodName, String targetName, int batch, int threads, DType dtype, int rounds, int block, double warmupSeconds) {
        if (threads < 2) throw new IllegalArgumentException("--threads must be at least 2 (it is compared with one thread), got " + threads);
        if (rounds < 4) throw new IllegalArgumentException("--rounds must be at least 4 (quartiles), got " + rounds);
        Method method = Registry.method(methodName);
        Target target = Targets.create(targetName);
        Options opts = Registry.defaultPreset(methodName, targetName).map(p -> p.options()).orElse(Options.empty()).with("batch", batch);
        try (Backend one = Backends.create("auto", 1); Backend many = Backends.create("auto", threads)) {
            Session s1 = Kernels.with(one, () -> method.init(target, opts, dtype, Rng.of(1, 0)));
            Session sT = Kernels.with(many, () -> method.init(target, opts, dtype, Rng.of(1, 0)));
            int[] it = {0, 0};
            Runnable blockOne = () -> Kernels.with(one, () -> { for (int i = 0; i < block; i++) { s1.step(target, it[0], Rng.of(1, it[0] + 1L)); it[0]++; } return null; });
            Runnable blockMany = () -> Kernels.with(many, () -> { for (int i = 0; i < block; i++) { sT.step(target, it[1], Rng.of(1, it[1] + 1L)); it[1]++; } return null; });
            long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            do { blockOne.run(); blockMany.run(); } while (System.nanoTime() < warmEnd);
            // the probe's loop length: T loops together as long as one one-thread step
            double stepMs = timeMs(blockOne) / block;
            int iters = Math.max(1000, (int) (stepMs * 1e6 / threads / nanosPerFmaIteration()));
            Runnable probeOne = () -> { for (int i = 0; i < block; i++) for (int k = 0; k < threads; k++) sink = Calibration.fmaLoop(iters); };
            Runnable probeMany = () -> { for (int i = 0; i < block; i++) many.parts(threads, k -> sink = Calibration.fmaLoop(iters)); };
            for (int i = 0; i < 3; i++) { probeOne.run(); probeMany.run(); }
            double[] t1 = new double[rounds], tT = new double[rounds], r = new double[rounds], c = new double[rounds], e = new double[rounds];
            for (int k = 0; k < rounds; k++) {
                t1[k] = timeMs(blockOne) / block;
                tT[k] = timeMs(blockMany) / block;
                r[k] = t1[k] / tT[k];
                c[k] = timeMs(probeOne) / timeMs(probeMany);
                e[k] = r[k] / c[k];
            }
            Arrays.sort(t1); Arrays.sort(tT); Arrays.sort(r); Arrays.sort(c); Arrays.sort(e);
            return new Result(methodName, targetName, batch, threads, dtype.label(), rounds, block, median(t1), median(tT), median(r), r[rounds / 4], r[(3 * rounds) / 4],
                    median(c), c[rounds / 4], c[(3 * rounds) / 4], median(e));
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    private static double timeMs(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Nanoseconds per iteration of {@link Calibration#fmaLoop} on this thread (after its compilation). */
    private static double nanosPerFmaIteration() {
        int iters = 100_000;
        for (int i = 0; i < 50; i++) sink = Calibration.fmaLoop(iters);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            sink = Calibration.fmaLoop(iters);
            best = Math.min(best, (System.nanoTime() - t0) / (double) iters);
        }
        return best;
    }
}
