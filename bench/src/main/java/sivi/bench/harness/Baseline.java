package sivi.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Machine-independent figures for regression checks: ratios measured within one run, never
 * absolute times.
 * <ul>
 *   <li>{@code efficiency:<case>} — a fast kernel's GFLOP/s divided by the FMA peak measured in the same run;</li>
 *   <li>{@code speedup:<case>} — scalar-oracle time divided by the fast backend's time, same case;</li>
 *   <li>{@code step:<case>} — one training iteration's time divided by the calibration workload's time;</li>
 *   <li>{@code scaling:<case>} — a step's one-thread time over its t-thread time, from two separate timings;</li>
 *   <li>{@code threads:<case>} — the same speed-up read in alternating rounds ({@link ThreadScaling}) divided by the
 *       speed-up the host gave parallel FMA work in those rounds: the share of the host's ceiling the step used.</li>
 * </ul>
 * Higher is better for all but step.
 */
public final class Baseline {
    private Baseline() {}

    public static Map<String, Double> ratios(List<KernelSuite.Row> kernels, List<StepBench.Result> steps, List<ThreadScaling.Result> threads,
                                             double peakGflops, double referenceMs) {
        Map<String, Double> r = new LinkedHashMap<>();
        Map<String, KernelSuite.Row> scalar = new LinkedHashMap<>();
        for (KernelSuite.Row row : kernels) if (row.backend().equals("scalar")) scalar.put(sizeKey(row), row);
        for (KernelSuite.Row row : kernels) {
            if (row.backend().equals("scalar")) continue;
            r.put("efficiency:" + row.key(), row.gflops() / peakGflops);
            KernelSuite.Row s = scalar.get(sizeKey(row));
            if (s != null) r.put("speedup:" + row.key(), s.medianMs() / row.medianMs());
        }
        for (StepBench.Result s : steps) r.put("step:" + s.key(), s.medianMs() / referenceMs);
        // thread scaling: 1-thread time over t-thread time of the same step, both from this run (higher is better)
        for (StepBench.Result s : steps)
            if (s.threads() > 1)
                s.oneThreadTwin(steps).ifPresent(one -> r.put("scaling:" + s.method() + "/" + s.target() + "/N" + s.batch() + "/t" + s.threads()
                        + "/" + s.backend() + "/" + s.dtype(), one.medianMs() / s.medianMs()));
        for (ThreadScaling.Result t : threads) r.put("threads:" + t.key(), t.efficiency());
        return r;
    }

    private static String sizeKey(KernelSuite.Row r) { return r.kernel() + "/" + r.dtype() + "/n" + r.n() + "/m" + r.m() + "/d" + r.d() + "/k" + r.k(); }

    /** One compared figure; an informational one is printed but never a regression (see {@link #compare}). */
    public record Comparison(String key, double baseline, double current, double change, boolean regression, boolean informational) {}

    /**
     * Compares current ratios with the baseline: a regression is a change for the worse beyond the
     * noise band (relative, e.g. 0.35 = 35%). Keys missing on either side are skipped. A multi-thread figure timed
     * minutes apart from its one-thread twin ({@code scaling:}, and {@code step:} at t &gt; 1) is informational where both
     * sides also hold the alternated {@code threads:} figure of the same method, target, N and thread count: that one is
     * read in alternating rounds beside the host's ceiling and is the guard, while the minutes-apart ones move with a
     * shared host's drift by more than the band (docs/results/bench-session23).
     */
    public static List<Comparison> compare(Map<String, Double> baseline, Map<String, Double> current, double band) {
        List<Comparison> out = new ArrayList<>();
        for (var e : baseline.entrySet()) {
            Double cur = current.get(e.getKey());
            if (cur == null) continue;
            double base = e.getValue();
            boolean lowerIsBetter = e.getKey().startsWith("step:");
            double change = cur / base - 1;
            String twin = alternatedTwin(e.getKey());
            boolean informational = twin != null && baseline.containsKey(twin) && current.containsKey(twin);
            boolean worse = !informational && (lowerIsBetter ? change > band : change < -band);
            out.add(new Comparison(e.getKey(), base, cur, change, worse, informational));
        }
        return out;
    }

    /**
     * The {@code threads:} key measuring the same thing in alternation as a minutes-apart multi-thread figure
     * ({@code scaling:m/t/Nn/tT/backend/dtype} or {@code step:step/m/t/Nn/tT/backend/dtype} with T &gt; 1), else null.
     */
    static String alternatedTwin(String key) {
        String rest;
        if (key.startsWith("scaling:")) rest = key.substring("scaling:".length());
        else if (key.startsWith("step:step/")) rest = key.substring("step:step/".length());
        else return null;
        String[] p = rest.split("/");
        if (p.length != 6 || !p[3].startsWith("t") || p[3].equals("t1")) return null;
        return "threads:" + p[0] + "/" + p[1] + "/" + p[2] + "/" + p[3] + "/" + p[5];
    }
}
