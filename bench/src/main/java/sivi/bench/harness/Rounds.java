package sivi.bench.harness;

import java.util.Arrays;

/** What the alternating comparisons ({@link ThreadScaling}, {@link JarComparison}) read from their per-round figures. */
final class Rounds {
    private Rounds() {}

    /** Median and quartiles of one figure over the rounds. */
    record Stats(double median, double q1, double q3) {
        static Stats of(double[] perRound) {
            double[] s = perRound.clone();
            Arrays.sort(s);
            int n = s.length;
            return new Stats(n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]), s[n / 4], s[(3 * n) / 4]);
        }
    }

    /** Wall milliseconds per call of {@code calls} calls. */
    static double msPerCall(Runnable op, int calls) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) op.run();
        return (System.nanoTime() - t0) / 1e6 / calls;
    }

    /** The JSON row's fields that say what was compared. */
    static java.util.Map<String, Object> header(String method, String target, int batch, int threads, String dtype, int rounds, int block) {
        java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("method", method); o.put("target", target); o.put("batch", batch); o.put("threads", threads); o.put("dtype", dtype);
        o.put("rounds", rounds); o.put("block", block);
        return o;
    }

    static void requireQuartiles(int rounds) {
        if (rounds < 4) throw new IllegalArgumentException("--rounds must be at least 4 (quartiles), got " + rounds);
    }
}
