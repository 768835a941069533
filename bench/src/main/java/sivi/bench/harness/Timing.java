package sivi.bench.harness;

import java.util.Arrays;

/**
 * Wall-clock timing with the usual care: a warm-up in rounds until the JIT has settled, then repetitions whose
 * median, min and max are reported. Each repetition runs the operation enough times to last at
 * least {@code minRepMillis}, so timer resolution does not matter. The process CPU time per call is
 * reported next to it: on a machine shared with other jobs a single-threaded operation's CPU time is
 * what it costs, while its wall time also counts the time it waited for a core.
 */
public final class Timing {
    private Timing() {}

    /** Median, min and max wall milliseconds per call; median process CPU milliseconds per call (NaN if unavailable). */
    public record Result(double medianMs, double minMs, double maxMs, int reps, int callsPerRep, double cpuMedianMs) {}

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    public static Result measure(Runnable op, double warmupMillis, int reps, double minRepMillis) {
        // Warm up in rounds until the time per call stops improving (C2 has compiled the Vector API
        // code): at least 3 rounds, at most 12, stop when a round is within 10% of the previous one.
        double perCall = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 12; round++) {
            long end = System.nanoTime() + (long) (warmupMillis * 1e6);
            int calls = 0;
            long t0 = System.nanoTime();
            do { op.run(); calls++; } while (System.nanoTime() < end);
            double now = (System.nanoTime() - t0) / 1e6 / calls;
            boolean settled = round >= 2 && now > 0.9 * perCall;
            perCall = Math.min(perCall, now);
            if (settled) break;
        }
        int callsPerRep = Math.max(1, (int) Math.ceil(minRepMillis / Math.max(perCall, 1e-6)));
        double[] ms = new double[reps], cpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = processCpuNanos(), s = System.nanoTime();
            for (int c = 0; c < callsPerRep; c++) op.run();
            ms[r] = (System.nanoTime() - s) / 1e6 / callsPerRep;
            cpu[r] = c0 < 0 ? Double.NaN : (processCpuNanos() - c0) / 1e6 / callsPerRep;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return new Result(ms[(reps - 1) / 2], ms[0], ms[reps - 1], reps, callsPerRep, cpu[(reps - 1) / 2]);
    }
}
