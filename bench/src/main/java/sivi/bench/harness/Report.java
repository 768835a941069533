package sivi.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The benchmark report: markdown tables and PNG plots (GFLOP/s against the peak, time per iteration against N). */
final class Report {
    private Report() {}

    /** Least-squares slope of log t against log N: the empirical scaling exponent. */
    static double exponent(double[] n, double[] t) {
        int k = n.length;
        double mx = 0, my = 0;
        for (int i = 0; i < k; i++) { mx += Math.log(n[i]); my += Math.log(t[i]); }
        mx /= k; my /= k;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < k; i++) { double dx = Math.log(n[i]) - mx; sxy += dx * (Math.log(t[i]) - my); sxx += dx * dx; }
        return sxy / sxx;
    }

    static String markdown(BenchTool.Measurement m, Path dir) throws IOException {
        StringBuilder b = new StringBuilder("# sivi benchmark report\n\n");
        b.append(String.format(Locale.ROOT, "JVM %s %s, %d cores. Calibration in this run: f32 FMA peak **%.1f GFLOP/s per core**, reference workload %.3f ms.%n%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), m.peak(), m.referenceMs()));
        b.append("Figures are medians on a shared, noisy machine; compare ratios, not absolute times.\n\n## Kernels\n\n");
        b.append("| kernel | backend | dtype | threads | n | d | median ms | GFLOP/s | % of peak |\n|---|---|---|---|---|---|---|---|---|\n");
        for (KernelSuite.Row r : m.kernels())
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %.3f | %.2f | %.1f%% |%n", r.kernel(), r.backend(), r.dtype(), r.threads(), r.n(), r.d(), r.medianMs(), r.gflops(), 100 * r.gflops() / m.peak()));
        // one plot per kernel: GFLOP/s against n, a line per backend/dtype/threads, peak as a dashed line
        Map<String, Map<String, List<KernelSuite.Row>>> byKernel = new LinkedHashMap<>();
        for (KernelSuite.Row r : m.kernels())
            byKernel.computeIfAbsent(r.kernel(), k -> new TreeMap<>()).computeIfAbsent(r.backend() + " " + r.dtype() + " t" + r.threads(), k -> new ArrayList<>()).add(r);
        b.append('\n');
        for (var e : byKernel.entrySet()) {
            LinePlot p = new LinePlot(e.getKey() + ": GFLOP/s vs size", "n", "GFLOP/s", true, false).horizontal("f32 FMA peak (1 core)", m.peak());
            for (var s : e.getValue().entrySet()) {
                double[] x = s.getValue().stream().mapToDouble(KernelSuite.Row::n).toArray();
                double[] y = s.getValue().stream().mapToDouble(KernelSuite.Row::gflops).toArray();
                p.add(s.getKey(), x, y);
            }
            String file = "kernel-" + e.getKey() + ".png";
            p.write(dir.resolve(file));
            b.append("![").append(e.getKey()).append("](").append(file).append(")\n\n");
        }
        b.append("## Training iterations\n\n")
         .append("GEMM columns: the step's matrix products (dense layers, critic, pairwise distances as products) counted in a separate\n")
         .append("metered pass: their flops per iteration, the share of that pass's thread time (threads × wall) spent in them, their\n")
         .append("GFLOP/s per thread and that as a share of the calibrated FMA peak of one core. Thread time: a GEMM's wall time times the\n")
         .append("threads that ran it (two particle parts multiplying at once count twice, as does one product split over two threads).\n")
         .append("The last column bounds the gain from faster GEMM alone: the iteration time if every GEMM ran at the full peak (the rest\n")
         .append("unchanged, the saved GEMM thread time spread over the threads), as a fraction of the measured time.\n\n")
         .append("| method | target | threads | N | median ms/iteration | GEMM MFLOP | GEMM share | GEMM GFLOP/s | % of peak | GEMM at peak: time × |\n")
         .append("|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<StepBench.Result>> bySeries = new LinkedHashMap<>();
        for (StepBench.Result s : m.steps()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.3f | %s |%n", s.method(), s.target(), s.threads(), s.batch(), s.medianMs(), gemmCells(s, m.peak())));
            bySeries.computeIfAbsent(s.method() + " " + s.target() + " t" + s.threads(), k -> new ArrayList<>()).add(s);
        }
        b.append(speedups(m.steps()));
        b.append(threads(m.threads()));
        b.append(largeN(m.steps()));
        b.append(heapChecks(m.heapChecks()));
        if (!bySeries.isEmpty()) {
            b.append("\n| series | fitted exponent of time in N over N ≥ " + EXPONENT_MIN_N + " (log-log least squares) |\n|---|---|\n");
            LinePlot p = new LinePlot("time per iteration vs N", "N (batch)", "ms / iteration", true, true);
            for (var e : bySeries.entrySet()) {
                double[] x = e.getValue().stream().mapToDouble(StepBench.Result::batch).toArray();
                double[] y = e.getValue().stream().mapToDouble(StepBench.Result::medianMs).toArray();
                p.add(e.getKey(), x, y);
                // below N ≈ 500 a step is fixed costs (network, target terms), not the N² pairs the exponent is about
                List<StepBench.Result> fit = e.getValue().stream().filter(r -> r.batch() >= EXPONENT_MIN_N).toList();
                if (fit.size() >= 2)
                    b.append(String.format(Locale.ROOT, "| %s | %.2f |%n", e.getKey(), exponent(fit.stream().mapToDouble(StepBench.Result::batch).toArray(),
                            fit.stream().mapToDouble(StepBench.Result::medianMs).toArray())));
            }
            p.write(dir.resolve("steps.png"));
            b.append("\n![steps](steps.png)\n");
        }
        return b.toString();
    }

    static final int EXPONENT_MIN_N = 500;

    /** The capped-heap runs: whether the largest N's steps run in a heap smaller than one N×N f32 array. */
    static String heapChecks(List<HeapCap.Check> checks) {
        if (checks.isEmpty()) return "";
        StringBuilder b = new StringBuilder("\nHeld memory: each method and target at the largest N, 3 steps in a child JVM whose heap is capped below "
                + "4N² bytes, one N×N f32 array (allocation per iteration above counts what a step allocates and drops, e.g. the bandwidth "
                + "median's row blocks; this says what it never holds).\n\n| method | target | N | heap cap MB | 4N² MB | runs in the cap |\n|---|---|---|---|---|---|\n");
        for (HeapCap.Check c : checks)
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %s |%n", c.method(), c.target(), c.batch(), c.capMb(), 4.0 * c.batch() * c.batch() / 1e6, c.outcome()));
        return b.toString();
    }

    /**
     * The 1-thread rows at N ≥ 1000: time and memory allocated per iteration (churn: what a step allocates and drops), with
     * the fitted exponent of the allocation in N. What a step holds is {@link #heapChecks}'s question.
     */
    static String largeN(List<StepBench.Result> steps) {
        List<StepBench.Result> rows = steps.stream().filter(s -> s.threads() == 1 && s.batch() >= 1000).toList();
        if (rows.isEmpty()) return "";
        StringBuilder b = new StringBuilder("\n### Large N (1 thread)\n\nAllocated per iteration: the bytes all threads allocated during the metered "
                + "iterations (after the warm-up), per iteration — what a step allocates and drops, which costs cache misses and "
                + "collections; blockwise passes over the N² pairs (the bandwidth median) make it grow faster than N without holding "
                + "an N×N array. The time exponents follow the tables below.\n\n"
                + "| method | target | N | median ms/iteration | allocated MB / iteration |\n|---|---|---|---|---|\n");
        for (StepBench.Result s : rows)
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %s |%n", s.method(), s.target(), s.batch(), s.medianMs(),
                    Double.isFinite(s.allocMb()) ? String.format(Locale.ROOT, "%.1f", s.allocMb()) : "–"));
        Map<String, List<StepBench.Result>> series = new LinkedHashMap<>();
        for (StepBench.Result s : steps) if (s.threads() == 1 && s.batch() >= EXPONENT_MIN_N) series.computeIfAbsent(s.method() + " " + s.target(), k -> new ArrayList<>()).add(s);
        b.append("\n| series | fitted exponent of allocation in N over N ≥ " + EXPONENT_MIN_N + " |\n|---|---|\n");
        for (var e : series.entrySet()) {
            List<StepBench.Result> r = e.getValue();
            if (r.size() < 2) continue;
            double[] x = r.stream().mapToDouble(StepBench.Result::batch).toArray();
            double[] alloc = r.stream().mapToDouble(StepBench.Result::allocMb).toArray();
            boolean allocKnown = java.util.Arrays.stream(alloc).allMatch(v -> Double.isFinite(v) && v > 0);
            b.append(String.format(Locale.ROOT, "| %s | %s |%n", e.getKey(), allocKnown ? String.format(Locale.ROOT, "%.2f", exponent(x, alloc)) : "–"));
        }
        return b.toString();
    }

    /** The GEMM cells of a step row (dashes when the backend's GEMM was not metered). */
    static String gemmCells(StepBench.Result s, double peakPerCore) {
        if (!(s.gemmMflop() > 0) || !(s.gemmMs() > 0)) return "– | – | – | – | –";
        // gemmMs is thread time (GemmMeter): spread over the threads, the wall time it takes is gemmMs / threads at best
        double atPeakMs = s.gemmMflop() / peakPerCore;   // MFLOP / (GFLOP/s) = thread ms
        double bound = Math.max(0, 1 - (s.gemmMs() - atPeakMs) / (s.threads() * s.meteredMs()));
        return String.format(Locale.ROOT, "%.2f | %.0f%% | %.1f | %.1f%% | %.2f", s.gemmMflop(), 100 * s.gemmShare(), s.gemmGflops(),
                100 * s.gemmGflops() / peakPerCore, bound);
    }

    /** The alternated thread-scaling rows ({@link ThreadScaling}): speed-up, the host's ceiling in the same rounds, their quotient. */
    static String threads(List<ThreadScaling.Result> rows) {
        if (rows.isEmpty()) return "";
        StringBuilder b = new StringBuilder("\n### One thread against two, alternated\n\nThe speed-up above compares two timings taken minutes apart, and this kind of "
                + "host drifts between them. Here a one-thread and a two-thread session of the same step run alternating rounds in one JVM "
                + "(medians of the per-round ratios, quartiles in brackets), and each round also times independent FMA loops as long as a "
                + "step on one thread and as two parts: the ceiling the host gave parallel work in those rounds. `threads:` ratios of "
                + "`compare` are the last column.\n\n"
                + "| method | target | N | rounds × steps | 1 thread ms | 2 threads ms | speed-up | ceiling | speed-up / ceiling |\n|---|---|---|---|---|---|---|---|---|\n");
        for (ThreadScaling.Result r : rows)
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d × %d | %.3f | %.3f | %.2f [%.2f–%.2f] | %.2f [%.2f–%.2f] | %.2f |%n", r.method(), r.target(), r.batch(),
                    r.rounds(), r.block(), r.oneMs(), r.manyMs(), r.speedup(), r.speedupQ1(), r.speedupQ3(), r.ceiling(), r.ceilingQ1(), r.ceilingQ3(), r.efficiency()));
        return b.toString();
    }

    /** Speed-up of t threads over 1 for every (method, target, N) measured at both. */
    static String speedups(List<StepBench.Result> steps) {
        StringBuilder b = new StringBuilder();
        for (StepBench.Result s : steps) {
            if (s.threads() == 1) continue;
            s.oneThreadTwin(steps).ifPresent(one -> {
                if (b.isEmpty()) b.append("\n| method | target | N | threads | speed-up over 1 thread |\n|---|---|---|---|---|\n");
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.2f |%n", s.method(), s.target(), s.batch(), s.threads(), one.medianMs() / s.medianMs()));
            });
        }
        return b.toString();
    }
}
