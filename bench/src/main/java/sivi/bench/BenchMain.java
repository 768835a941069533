package sivi.bench;

import java.util.*;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the kernel benchmarks and prints a GFLOP/s table (flop counts in each benchmark's javadoc)
 * with the ratio to the measured single-core FMA peak ({@link FmaPeakBench}).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar quick [regex]
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar full  [regex]
 * </pre>
 * quick: two sizes per family, 1 fork, 2 measurement iterations of 1 s after 6 warm-up iterations
 * (simd, FMA peak) or 2 (scalar): Vector API code is very slow until C2 has compiled it, which
 * takes several seconds on a busy machine.
 * full: every size, 1 fork, 8 warm-up + 5 measurement iterations of 2 s.
 * The scalar oracle runs only up to a cap per family (it takes seconds per call beyond).
 */
public final class BenchMain {
    private BenchMain() {}

    /** A family: its class, the sizes in quick and full mode, the cap for the scalar oracle. */
    private record Family(Class<?> cls, String[] quick, String[] full, int scalarCap) {}

    private static final String[] FULL = {"100", "500", "1000", "2000", "4000"};
    private static final List<Family> FAMILIES = List.of(
            new Family(GemmBench.class, new String[] {"256", "512"}, new String[] {"100", "256", "500", "1000", "2000", "4000"}, 512),
            new Family(PairwiseBench.class, new String[] {"500", "2000"}, FULL, 2000),
            new Family(LseMixtureBench.class, new String[] {"500", "2000"}, FULL, 2000),
            new Family(DenseBench.class, new String[] {"500", "2000"}, FULL, 2000));

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("quick") || args[0].equals("full"))) {
            System.err.println("usage: benchmarks.jar quick|full [regex on the benchmark class]");
            System.exit(2);
        }
        boolean quick = args[0].equals("quick");
        String filter = args.length > 1 ? args[1] : ".*";
        List<RunResult> results = new ArrayList<>();
        results.addAll(new Runner(options(quick, true).include(FmaPeakBench.class.getSimpleName() + "\\.").build()).run());
        for (Family f : FAMILIES) {
            if (!f.cls.getSimpleName().matches(filter)) continue;
            String[] sizes = quick ? f.quick : f.full;
            for (String backend : new String[] {"scalar", "simd"}) {
                String[] ns = backend.equals("simd") ? sizes : Arrays.stream(sizes).filter(s -> Integer.parseInt(s) <= f.scalarCap).toArray(String[]::new);
                if (ns.length == 0) continue;
                results.addAll(new Runner(options(quick, backend.equals("simd")).include(f.cls.getSimpleName() + "\\.").param("backend", backend).param("n", ns).build()).run());
            }
        }
        System.out.println(table(results));
    }

    /** Vector API code runs in the interpreter and C1 for seconds before C2 compiles it: simd warms up longer. */
    private static ChainedOptionsBuilder options(boolean quick, boolean vector) {
        return new OptionsBuilder().forks(1).threads(1)
                .warmupIterations(quick ? (vector ? 6 : 2) : 8).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector");
    }

    static String table(List<RunResult> results) {
        Map<String, Double> peak = new HashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            if (!label.contains("FmaPeakBench")) continue;
            String dt = label.endsWith("f32") ? "f32" : "f64";
            peak.put(dt, FmaPeakBench.flops(dt) / (r.getPrimaryResult().getScore() * 1e-3) / 1e9);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("FMA peak (1 core, Vector API): f32 %.1f GFLOP/s, f64 %.1f GFLOP/s%n%n", peak.getOrDefault("f32", Double.NaN), peak.getOrDefault("f64", Double.NaN)));
        sb.append("| kernel | backend | dtype | n | ms/op | GFLOP/s | % of FMA peak |\n|---|---|---|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            var p = r.getParams();
            String label = p.getBenchmark();
            if (label.contains("FmaPeakBench")) continue;
            String cls = label.substring(0, label.lastIndexOf('.'));
            cls = cls.substring(cls.lastIndexOf('.') + 1);
            int n = Integer.parseInt(p.getParam("n"));
            double flops = switch (cls) {
                case "GemmBench" -> GemmBench.flops(n);
                case "PairwiseBench" -> PairwiseBench.flops(n);
                case "LseMixtureBench" -> LseMixtureBench.flops(n);
                case "DenseBench" -> DenseBench.flops(n);
                default -> Double.NaN;
            };
            double ms = r.getPrimaryResult().getScore(), gf = flops / (ms * 1e-3) / 1e9;
            String dt = p.getParam("dtype");
            sb.append(String.format("| %s | %s | %s | %d | %.3f | %.2f | %.0f%% |%n", cls.replace("Bench", ""), p.getParam("backend"), dt, n, ms, gf,
                    100 * gf / peak.getOrDefault(dt, Double.NaN)));
        }
        return sb.toString();
    }
}
