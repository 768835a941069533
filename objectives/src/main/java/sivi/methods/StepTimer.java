package sivi.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * A small timing harness (not JMH): median milliseconds per training iteration of a method's
 * preset on a target, after warm-up, for several batch sizes and thread counts.
 * <pre>
 *   java -cp … sivi.methods.StepTimer [methods=ksivi,sivi-sm] [target=banana] [n=100,500,1000,2000]
 *        [threads=1,2] [backend=auto] [dtype=f32] [seconds=3] [warmup=1.5]
 * </pre>
 * The preset "{method}-{target}" supplies the hyper-parameters; only {@code batch} is overridden.
 * Warm-up runs for {@code warmup} seconds (at least 3 iterations), then iterations are timed for
 * {@code seconds} (at least 5). The backend and thread count that ran are printed on every row.
 */
public final class StepTimer {
    private StepTimer() {}

    /** Median ms per iteration and the number of timed iterations. */
    public record Timing(String method, String target, int batch, String backend, int threads, double medianMs, int iterations) {}

    public static Timing time(String methodName, String targetName, int batch, String backendName, int threads, DType dtype,
                              double warmupSeconds, double seconds) {
        Method method = Registry.method(methodName);
        Target target = Targets.create(targetName);
        Options options = Registry.defaultPreset(methodName, targetName).map(p -> p.options()).orElse(Options.empty()).with("batch", batch);
        try (Backend backend = Backends.create(backendName, threads)) {
            return Kernels.with(backend, () -> {
                Session s = method.init(target, options, dtype, Rng.of(1, 0));
                int it = 0;
                long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
                while (it < 3 || System.nanoTime() < end) { s.step(target, it, Rng.of(1, it + 1L)); it++; }
                List<Double> ms = new ArrayList<>();
                end = System.nanoTime() + (long) (seconds * 1e9);
                while (ms.size() < 5 || System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    s.step(target, it, Rng.of(1, it + 1L));
                    ms.add((System.nanoTime() - t0) / 1e6);
                    it++;
                }
                double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(a);
                return new Timing(methodName, targetName, batch, backend.name(), backend.threads(), a[(a.length - 1) / 2], a.length);
            });
        }
    }

    public static void main(String[] args) {
        String methods = "ksivi,sivi-sm", target = "banana", ns = "100,500,1000,2000", ts = "1,2", backend = "auto", dtype = "f32";
        double seconds = 3, warmup = 1.5;
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            String k = a.substring(0, eq), v = a.substring(eq + 1);
            switch (k) {
                case "methods" -> methods = v;
                case "target" -> target = v;
                case "n" -> ns = v;
                case "threads" -> ts = v;
                case "backend" -> backend = v;
                case "dtype" -> dtype = v;
                case "seconds" -> seconds = Double.parseDouble(v);
                case "warmup" -> warmup = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown argument " + k + " (methods, target, n, threads, backend, dtype, seconds, warmup)");
            }
        }
        DType dt = dtype.equalsIgnoreCase("f64") ? DType.F64 : DType.F32;
        System.out.printf("# StepTimer: %s, JVM %s, %d CPUs, dtype %s%n", target, Runtime.version(), Runtime.getRuntime().availableProcessors(), dt.label());
        System.out.printf("%-10s %6s %-8s %7s %12s %6s%n", "method", "N", "backend", "threads", "median_ms", "iters");
        for (String m : methods.split(","))
            for (String n : ns.split(","))
                for (String t : ts.split(",")) {
                    Timing r = time(m, target, Integer.parseInt(n), backend, Integer.parseInt(t), dt, warmup, seconds);
                    System.out.printf("%-10s %6d %-8s %7d %12.3f %6d%n", r.method(), r.batch(), r.backend(), r.threads(), r.medianMs(), r.iterations());
                }
    }
}
