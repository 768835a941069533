package sivi.bench.harness;

import java.util.Map;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
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
            Map<String, Object> o = Rounds.header(method, target, batch, threads, dtype, rounds, block);
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
        checkArguments(threads, rounds);
        try (Backend one = Backends.create("auto", 1); Backend many = Backends.create("auto", threads)) {
            Runnable stepOne = JarStepper.on(one, methodName, targetName, batch, dtype), stepMany = JarStepper.on(many, methodName, targetName, batch, dtype);
            long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            do { Rounds.msPerCall(stepOne, block); Rounds.msPerCall(stepMany, block); } while (System.nanoTime() < warmEnd);
            // the probe's loop length: T loops together as long as one one-thread step
            double stepMs = Rounds.msPerCall(stepOne, block);
            int iters = Math.max(1000, (int) (stepMs * 1e6 / threads / nanosPerFmaIteration()));
            Runnable probeOne = () -> { for (int k = 0; k < threads; k++) sink = Calibration.fmaLoop(iters); };
            Runnable probeMany = () -> many.parts(threads, k -> sink = Calibration.fmaLoop(iters));
            for (int i = 0; i < 3; i++) { probeOne.run(); probeMany.run(); }
            double[] t1 = new double[rounds], tT = new double[rounds], r = new double[rounds], c = new double[rounds], e = new double[rounds];
            for (int k = 0; k < rounds; k++) {
                t1[k] = Rounds.msPerCall(stepOne, block);
                tT[k] = Rounds.msPerCall(stepMany, block);
                r[k] = t1[k] / tT[k];
                c[k] = Rounds.msPerCall(probeOne, block) / Rounds.msPerCall(probeMany, block);
                e[k] = r[k] / c[k];
            }
            Rounds.Stats speedup = Rounds.Stats.of(r), ceiling = Rounds.Stats.of(c);
            return new Result(methodName, targetName, batch, threads, dtype.label(), rounds, block, Rounds.Stats.of(t1).median(), Rounds.Stats.of(tT).median(),
                    speedup.median(), speedup.q1(), speedup.q3(), ceiling.median(), ceiling.q1(), ceiling.q3(), Rounds.Stats.of(e).median());
        }
    }

    /** The thread count and rounds {@link #run} accepts (checked by the command before it prints anything). */
    static void checkArguments(int threads, int rounds) {
        if (threads < 2) throw new IllegalArgumentException("--threads must be at least 2 (it is compared with one thread), got " + threads);
        Rounds.requireQuartiles(rounds);
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
