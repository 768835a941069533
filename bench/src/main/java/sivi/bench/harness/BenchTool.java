package sivi.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sivi.data.Json;
import sivi.fit.Registry;
import sivi.kernels.Backends;
import sivi.kernels.GemmMeter;
import sivi.kernels.fused.Fallbacks;
import sivi.fit.TensorFile;
import sivi.targets.Targets;
import sivi.tensor.DType;

/**
 * The benchmark commands behind {@code sivi bench}: {@code kernels}, {@code step}, {@code compare},
 * {@code report}. Each returns an exit code (0 ok, 1 regression found with --fail-on-regression,
 * 2 usage error). Benchmarks assert nothing about speed; {@code compare} only flags.
 */
public final class BenchTool {
    private BenchTool() {}

    /** Methods and targets of the scaling sweep (those that exist in this build are run). */
    static final String[] SWEEP_METHODS = {"ksivi", "sivi-sm"};
    static final String[] SWEEP_TARGETS = {"banana", "lr-waveform"};

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) { err.println("usage: sivi bench kernels|step|threads|jars|breakdown|compare|report [options] (see --help)"); return 2; }
        Map<String, String> o = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) { err.println("sivi bench: unexpected argument '" + a + "'"); return 2; }
            // --debug is Main's (a failure's stack trace); the bench only lets it through
            if (a.equals("--quick") || a.equals("--fail-on-regression") || a.equals("--no-opencl") || a.equals("--debug")) flags.add(a);
            else if (i + 1 < args.length) o.put(a, args[++i]);
            else { err.println("sivi bench: " + a + " needs a value"); return 2; }
        }
        boolean quick = flags.contains("--quick");
        try {
            // outputs are checked before any measuring: a bad path must not cost a benchmark run
            if (o.containsKey("--json")) TensorFile.checkWritable(Path.of(o.get("--json")));
            if (args[0].equals("report")) TensorFile.checkWritableDirectory(Path.of(o.getOrDefault("--out", "bench-report")));
            return switch (args[0]) {
                case "kernels" -> kernels(o, quick, !flags.contains("--no-opencl"), out);
                case "step" -> step(o, quick, out);
                case "threads" -> threads(o, quick, out);
                case "jars" -> jars(o, quick, out);
                case "breakdown" -> breakdown(o, quick, out);
                case "compare" -> compare(o, quick, flags.contains("--fail-on-regression"), !flags.contains("--no-opencl"), out);
                case "report" -> report(o, quick, !flags.contains("--no-opencl"), out);
                default -> { err.println("sivi bench: unknown command '" + args[0] + "' (accepted: kernels, step, threads, jars, breakdown, compare, report)"); yield 2; }
            };
        } catch (IllegalArgumentException e) {
            err.println("sivi bench: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("sivi bench: " + e.getMessage());
            return 1;
        }
    }

    private static int kernels(Map<String, String> o, boolean quick, boolean openCl, PrintStream out) throws IOException {
        checkKeys(o, "--json");
        double peak = Calibration.fmaPeakGflops(quick);
        out.print(Backends.describeFused(openCl));
        List<KernelSuite.Row> rows = KernelSuite.run(quick, openCl && KernelSuite.openClAvailable(),
                r -> out.printf(Locale.ROOT, "%-12s %-7s %s n=%-5d d=%-3d t=%d  %9.3f ms  %7.2f GFLOP/s%n", r.kernel(), r.backend(), r.dtype(), r.n(), r.d(), r.threads(), r.medianMs(), r.gflops()));
        out.printf(Locale.ROOT, "calibration: f32 FMA peak %.1f GFLOP/s per core%n", peak);
        if (o.containsKey("--json")) writeJson(Path.of(o.get("--json")), Map.of("fma_peak_gflops", peak, "rows", rows.stream().map(KernelSuite.Row::toJson).toList()));
        return 0;
    }

    /** One row per method × batch × thread count (each option may be a comma-separated list). */
    private static int step(Map<String, String> o, boolean quick, PrintStream out) throws IOException {
        checkKeys(o, "--method", "--target", "--batch", "--threads", "--backend", "--dtype", "--json");
        String t = require(o, "--target");
        List<String> methods = List.of(require(o, "--method").split(","));
        int[] batches = intList(o, "--batch", "500"), threads = intList(o, "--threads", "1");
        DType dtype = DType.parse(o.getOrDefault("--dtype", "f32"));
        List<StepBench.Result> rows = new ArrayList<>();
        for (String m : methods)
            for (int batch : batches)
                for (int th : threads) {
                    Fallbacks.reset();
                    StepBench.Result r = StepBench.run(m, t, batch, o.getOrDefault("--backend", "auto"), th, dtype, quick);
                    out.printf(Locale.ROOT, "%s on %s, N=%d, %d thread(s), %s: median %.3f ms/iteration (min %.3f, max %.3f, %d steps); process CPU %.3f ms/iteration%n",
                            r.method(), r.target(), r.batch(), r.threads(), r.backend(), r.medianMs(), r.minMs(), r.maxMs(), r.steps(), r.cpuMs());
                    if (r.gemmMflop() > 0)
                        out.printf(Locale.ROOT, "  GEMM: %.2f MFLOP/iteration in %.3f thread-ms (%.0f%% of the iteration's thread time), %.1f GFLOP/s per thread%n",
                                r.gemmMflop(), r.gemmMs(), 100 * r.gemmShare(), r.gemmGflops());
                    // where that time goes: the shapes (m×k×n) with at least 3 % of it, per iteration of the metered pass
                    int metered = StepBench.meteredSteps(quick);
                    for (GemmMeter.Shape sh : r.gemmShapes())
                        if (sh.nanos() >= 0.03 * r.gemmMs() * 1e6 * metered)
                            out.printf(Locale.ROOT, "    %d×%d×%d: %.1f calls, %.3f thread-ms, %.1f GFLOP/s%n", sh.m(), sh.k(), sh.n(),
                                    (double) sh.calls() / metered, sh.nanos() / 1e6 / metered, sh.gflops());
                    if (Double.isFinite(r.allocMb())) out.printf(Locale.ROOT, "  allocated: %.2f MB/iteration%n", r.allocMb());
                    Map<String, Long> twins = Fallbacks.snapshot();   // fused ops that ran composed of primitives, not as their kernel
                    out.println("fused ops run as twins: " + (twins.isEmpty() ? "none" : twins.toString()));
                    rows.add(r);
                }
        if (o.containsKey("--json")) writeJson(Path.of(o.get("--json")), rows.size() == 1 ? rows.get(0).toJson() : rows.stream().map(StepBench.Result::toJson).toList());
        return 0;
    }

    /** One row per method × batch: the one- to T-thread speed-up from alternating rounds, beside the host's ceiling. */
    private static int threads(Map<String, String> o, boolean quick, PrintStream out) throws IOException {
        checkKeys(o, "--method", "--target", "--batch", "--threads", "--dtype", "--rounds", "--block", "--json");
        String t = require(o, "--target");
        List<String> methods = List.of(require(o, "--method").split(","));
        int[] batches = intList(o, "--batch", "500");
        int threads = intArg(o, "--threads", 2), rounds = intArg(o, "--rounds", quick ? 8 : 60), block = intArg(o, "--block", quick ? 3 : 10);
        DType dtype = DType.parse(o.getOrDefault("--dtype", "f32"));
        ThreadScaling.checkArguments(threads, rounds);
        List<ThreadScaling.Result> rows = new ArrayList<>();
        out.printf(Locale.ROOT, "# one thread against %d, alternated: %d rounds of %d steps each; medians of the rounds, quartiles in brackets%n", threads, rounds, block);
        out.println("# ceiling: independent FMA loops as long as a step, one thread against " + threads + " parts, in the same rounds");
        for (String m : methods)
            for (int batch : batches) {
                ThreadScaling.Result r = ThreadScaling.run(m, t, batch, threads, dtype, rounds, block, quick ? 2 : 12);
                out.printf(Locale.ROOT, "%s on %s, N=%d: 1 thread %.3f ms, %d threads %.3f ms; speed-up %.2f [%.2f-%.2f], ceiling %.2f [%.2f-%.2f], speed-up/ceiling %.2f%n",
                        r.method(), r.target(), r.batch(), r.oneMs(), r.threads(), r.manyMs(), r.speedup(), r.speedupQ1(), r.speedupQ3(),
                        r.ceiling(), r.ceilingQ1(), r.ceilingQ3(), r.efficiency());
                rows.add(r);
            }
        if (o.containsKey("--json")) writeJson(Path.of(o.get("--json")), rows.stream().map(ThreadScaling.Result::toJson).toList());
        return 0;
    }

    /** One row per method × batch: the same step of two builds in alternating rounds in one JVM, old time over new. */
    private static int jars(Map<String, String> o, boolean quick, PrintStream out) throws IOException {
        checkKeys(o, "--old", "--new", "--method", "--target", "--batch", "--threads", "--dtype", "--rounds", "--block", "--json");
        List<java.net.URL> older = buildPath(require(o, "--old"));
        List<java.net.URL> newer = o.containsKey("--new") ? buildPath(o.get("--new")) : List.of(thisBuild());
        String t = require(o, "--target");
        List<String> methods = List.of(require(o, "--method").split(","));
        int[] batches = intList(o, "--batch", "500");
        int threads = intArg(o, "--threads", 1), rounds = intArg(o, "--rounds", quick ? 8 : 40), block = intArg(o, "--block", quick ? 3 : 10);
        String dtype = DType.parse(o.getOrDefault("--dtype", "f32")).label();
        Rounds.requireQuartiles(rounds);
        out.printf(Locale.ROOT, "# old %s against new %s, alternated in one JVM: %d rounds of %d steps each; medians of the rounds, quartiles in brackets%n",
                o.get("--old"), o.getOrDefault("--new", "(this build)"), rounds, block);
        List<JarComparison.Result> rows = new ArrayList<>();
        for (String m : methods)
            for (int batch : batches) {
                JarComparison.Result r = JarComparison.run(older, newer, m, t, batch, threads, dtype, rounds, block, quick ? 2 : 12);
                out.printf(Locale.ROOT, "%s on %s, N=%d, %d thread(s): old %.3f ms, new %.3f ms; old/new %.3f [%.3f-%.3f]%n",
                        r.method(), r.target(), r.batch(), r.threads(), r.oldMs(), r.newMs(), r.ratio(), r.ratioQ1(), r.ratioQ3());
                rows.add(r);
            }
        if (o.containsKey("--json")) writeJson(Path.of(o.get("--json")), rows.stream().map(JarComparison.Result::toJson).toList());
        return 0;
    }

    /** A build given as a jar file, or as a class path (entries separated by the platform's path separator). */
    static List<java.net.URL> buildPath(String spec) {
        List<java.net.URL> urls = new ArrayList<>();
        for (String e : spec.split(java.io.File.pathSeparator)) {
            if (e.isEmpty()) continue;
            Path p = Path.of(e);
            if (!Files.exists(p)) throw new IllegalArgumentException("build " + e + " does not exist");
            try { urls.add(p.toUri().toURL()); } catch (java.net.MalformedURLException x) { throw new IllegalArgumentException("build " + e + ": " + x.getMessage()); }
        }
        if (urls.isEmpty()) throw new IllegalArgumentException("empty build path '" + spec + "'");
        return urls;
    }

    /** Where this build's classes come from (the sivi jar when run as {@code sivi bench}). */
    private static java.net.URL thisBuild() {
        var src = BenchTool.class.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null) throw new IllegalArgumentException("cannot tell where this build is loaded from: give --new JAR");
        return src.getLocation();
    }

    private static int breakdown(Map<String, String> o, boolean quick, PrintStream out) {
        checkKeys(o, "--batch", "--backend", "--threads");
        int n = intArg(o, "--batch", 500), threads = intArg(o, "--threads", 1);
        String backend = o.getOrDefault("--backend", "auto");
        out.printf(Locale.ROOT, "# kernel breakdown of a ksivi / sivi-sm banana step: backend %s, threads %d, N %d (median ms per call; process CPU ms)%n", backend, threads, n);
        for (KernelBreakdown.Row r : KernelBreakdown.run(backend, threads, n, quick))
            out.printf(Locale.ROOT, "%-70s %9.3f ms %9.3f cpu-ms%n", r.kernel(), r.timing().medianMs(), r.timing().cpuMedianMs());
        return 0;
    }

    private static int[] intList(Map<String, String> o, String key, String def) {
        String[] parts = o.getOrDefault(key, def).split(",");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) v[i] = intArg(Map.of(key, parts[i].trim()), key, 0);
        return v;
    }

    /** Large-N sizes of the full report (1 thread, the short timing: a step takes up to ~2 s there). */
    static final int[] LARGE_N = {5000, 10000};
    /** The heap the largest N must run in: below 4N² bytes (400 MB at N = 10 000), one N×N f32 array. */
    static final int HEAP_CAP_MB = 256;

    /** The steps of the scaling sweep that exist in this build. */
    static List<StepBench.Result> sweep(boolean quick, int[] sizes, int[] threads, PrintStream out) {
        List<StepBench.Result> res = new ArrayList<>();
        for (String m : SWEEP_METHODS) {
            if (!Registry.methods().containsKey(m)) { out.println("(skipping method " + m + ": not in this build)"); continue; }
            for (String t : SWEEP_TARGETS) {
                if (!Targets.all().containsKey(t)) { out.println("(skipping target " + t + ": not in this build)"); continue; }
                for (int th : threads)
                    for (int n : sizes) {
                        StepBench.Result r = StepBench.run(m, t, n, "auto", th, DType.F32, quick);
                        out.printf(Locale.ROOT, "step %-8s %-12s N=%-5d t=%d  %9.3f ms%n", m, t, n, th, r.medianMs());
                        res.add(r);
                    }
            }
        }
        return res;
    }

    /**
     * N of the alternated thread-scaling rows of a report (the N ≥ 500). A full report also measures the quick
     * report's N, so that {@code compare --quick} against a full baseline has alternated thread figures in common
     * (the minutes-apart {@code scaling:} ratios drift most on a shared host).
     */
    static final int[] THREADS_N = {500, 1000}, THREADS_N_QUICK = {500};

    /** The sweep's methods and targets at each N, one thread against two in alternating rounds beside the host's ceiling. */
    static List<ThreadScaling.Result> threadSweep(boolean quick, PrintStream out) {
        List<ThreadScaling.Result> res = new ArrayList<>();
        for (int n : quick ? THREADS_N_QUICK : THREADS_N)
            for (String m : SWEEP_METHODS) {
                if (!Registry.methods().containsKey(m)) continue;
                for (String t : SWEEP_TARGETS) {
                    if (!Targets.all().containsKey(t)) continue;
                    ThreadScaling.Result r = ThreadScaling.run(m, t, n, 2, DType.F32, quick ? 8 : 40, quick ? 3 : 10, quick ? 2 : 12);
                    out.printf(Locale.ROOT, "threads %-8s %-12s N=%-5d speed-up %.2f, ceiling %.2f, speed-up/ceiling %.2f%n", m, t, r.batch(), r.speedup(), r.ceiling(), r.efficiency());
                    res.add(r);
                }
            }
        return res;
    }

    private static int compare(Map<String, String> o, boolean quick, boolean failOnRegression, boolean openCl, PrintStream out) throws IOException {
        checkKeys(o, "--baseline", "--band", "--json");
        Path basePath = Path.of(require(o, "--baseline"));
        if (!Files.exists(basePath)) throw new IllegalArgumentException("baseline file " + basePath + " does not exist");
        double band = o.containsKey("--band") ? Double.parseDouble(o.get("--band")) : 0.35;
        Map<String, Double> br = readBaseline(basePath);
        Measurement cur = measure(quick, openCl, out);
        List<Baseline.Comparison> cmp = Baseline.compare(br, cur.ratios, band);
        int regressions = 0, informational = 0;
        for (Baseline.Comparison c : cmp) {
            if (c.regression()) regressions++;
            if (c.informational()) informational++;
            out.printf(Locale.ROOT, "%s %-70s baseline %8.4f now %8.4f (%+.0f%%)%n", c.regression() ? "REGRESSION" : c.informational() ? "info      " : "ok        ",
                    c.key(), c.baseline(), c.current(), 100 * c.change());
        }
        out.printf(Locale.ROOT, "%d figures compared, %d regressions beyond the ±%.0f%% noise band%s%n", cmp.size(), regressions, 100 * band,
                informational == 0 ? "" : " (" + informational + " minutes-apart multi-thread figures for information: their alternated threads: twins are compared)");
        if (o.containsKey("--json")) writeJson(Path.of(o.get("--json")), cur.toJson());
        return failOnRegression && regressions > 0 ? 1 : 0;
    }

    /**
     * The "ratios" of a report.json written by {@code compare --json} or {@code report}: read before
     * any measuring; a damaged or foreign file is an IOException with one line naming it.
     */
    public static Map<String, Double> readBaseline(Path path) throws IOException {
        Object root;
        try {
            root = Json.parse(Files.readString(path));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("baseline " + path + ": not UTF-8 text");
        } catch (IllegalArgumentException e) {
            throw new IOException("baseline " + path + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (!(root instanceof Map<?, ?> m) || !(m.get("ratios") instanceof Map<?, ?> ratios))
            throw new IOException("baseline " + path + ": no \"ratios\" object (is it a bench report.json?)");
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : ratios.entrySet()) {
            if (!(e.getValue() instanceof Number n)) throw new IOException("baseline " + path + ": ratio " + sivi.data.DataException.show(String.valueOf(e.getKey())) + " is not a number");
            out.put(String.valueOf(e.getKey()), n.doubleValue());
        }
        return out;
    }

    /** Everything a baseline or report needs, measured in one run. */
    record Measurement(double peak, double referenceMs, List<KernelSuite.Row> kernels, List<StepBench.Result> steps, List<ThreadScaling.Result> threads,
                       Map<String, Double> ratios, List<HeapCap.Check> heapChecks) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("fma_peak_gflops", peak);
            m.put("reference_workload_ms", referenceMs);
            m.put("ratios", ratios);
            m.put("kernels", kernels.stream().map(KernelSuite.Row::toJson).toList());
            m.put("steps", steps.stream().map(StepBench.Result::toJson).toList());
            m.put("threads", threads.stream().map(ThreadScaling.Result::toJson).toList());
            m.put("heap_checks", heapChecks.stream().map(c -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("method", c.method()); o.put("target", c.target()); o.put("batch", c.batch()); o.put("cap_mb", c.capMb()); o.put("runs", c.outcome());
                return o;
            }).toList());
            return m;
        }
    }

    static Measurement measure(boolean quick, boolean openCl, PrintStream out) {
        double peak = Calibration.fmaPeakGflops(quick);
        double ref = Calibration.referenceWorkloadMs(quick);
        List<KernelSuite.Row> k = KernelSuite.run(quick, openCl && KernelSuite.openClAvailable(), null);
        // --quick keeps 2 threads at N = 500 too, so that the baseline guards the particle split of SIVI-SM and KSIVI
        List<StepBench.Result> s = new ArrayList<>(sweep(quick, quick ? new int[] {100, 500} : new int[] {100, 500, 1000, 2000}, new int[] {1, 2}, out));
        List<HeapCap.Check> caps = new ArrayList<>();
        if (!quick) {
            s.addAll(sweep(true, LARGE_N, new int[] {1}, out));   // large N: time, allocation and exponents (issue #21)
            // and whether the largest N runs in a heap smaller than one N×N f32 array (4N² bytes)
            int n = LARGE_N[LARGE_N.length - 1];
            for (String method : SWEEP_METHODS)
                for (String target : SWEEP_TARGETS) {
                    HeapCap.Check c = HeapCap.run(method, target, n, HEAP_CAP_MB, 3);
                    out.printf(Locale.ROOT, "heap cap %-8s %-12s N=%-5d %d MB: %s%n", method, target, n, HEAP_CAP_MB, c.outcome());
                    caps.add(c);
                }
        }
        List<ThreadScaling.Result> th = threadSweep(quick, out);
        return new Measurement(peak, ref, k, s, th, Baseline.ratios(k, s, th, peak, ref), caps);
    }

    private static int report(Map<String, String> o, boolean quick, boolean openCl, PrintStream out) throws IOException {
        checkKeys(o, "--out");
        Path dir = Path.of(o.getOrDefault("--out", "bench-report"));   // checked and created by run()
        Measurement m = measure(quick, openCl, out);
        writeJson(dir.resolve("report.json"), m.toJson());
        Files.writeString(dir.resolve("report.md"), Report.markdown(m, dir), StandardCharsets.UTF_8);
        out.println("wrote " + dir.resolve("report.md") + ", report.json and plots");
        return 0;
    }

    static void writeJson(Path p, Object o) throws IOException { TensorFile.writeAtomically(p, Json.write(o).getBytes(StandardCharsets.UTF_8)); }

    private static String require(Map<String, String> o, String k) {
        String v = o.get(k);
        if (v == null) throw new IllegalArgumentException("missing " + k);
        return v;
    }

    private static int intArg(Map<String, String> o, String k, int def) {
        String v = o.get(k);
        if (v == null) return def;
        try {
            int n = Integer.parseInt(v);
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) { throw new IllegalArgumentException(k + " must be a positive integer, got '" + v + "'"); }
    }

    private static void checkKeys(Map<String, String> o, String... allowed) {
        for (String k : o.keySet())
            if (!java.util.Arrays.asList(allowed).contains(k)) throw new IllegalArgumentException("unknown option " + k + " (accepted: " + String.join(", ", allowed) + ", --quick)");
    }

    public static void main(String[] args) { System.exit(run(args, System.out, System.err)); }
}
