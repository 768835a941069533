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

    /** One compared figure. */
    public record Comparison(String key, double baseline, double current, double change, boolean regression) {}

    /**
     * Compares current ratios with the baseline: a regression is a change for the worse beyond the
     * noise band (relative, e.g. 0.35 = 35%). Keys missing on either side are skipped.
     */
    public static List<Comparison> compare(Map<String, Double> baseline, Map<String, Double> current, double band) {
        List<Comparison> out = new ArrayList<>();
        for (var e : baseline.entrySet()) {
            Double cur = current.get(e.getKey());
            if (cur == null) continue;
            double base = e.getValue();
            boolean lowerIsBetter = e.getKey().startsWith("step:");
            double change = cur / base - 1;
            boolean worse = lowerIsBetter ? change > band : change < -band;
            out.add(new Comparison(e.getKey(), base, cur, change, worse));
        }
        return out;
    }
}
