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
 *        [threads=1,2] [backend=auto] [dtype=f32] [seconds=3] [warmup=5]
 * </pre>
 * The preset "{method}-{target}" supplies the hyper-parameters; only {@code batch} is overridden.
 * Vector API code needs a long warm-up before C2 has compiled it (seconds on a busy machine).
 * Warm-up runs for {@code warmup} seconds (at least 3 iterations), then iterations are timed for
 * {@code seconds} (at least 5). {@code StepTimer kernels [n] [backend]} instead times each backend
 * kernel a step calls ({@link #kernelBreakdown}). The backend and thread count that ran are printed on every row.
 */
public final class StepTimer {
    private StepTimer() {}

    /** Median ms per iteration and the number of timed iterations. */
    /**
     * Median wall-clock ms per iteration, median CPU ms of the calling thread per iteration (with one
     * thread every kernel runs on the caller, so this is robust to other processes sharing the
     * cores; with more threads it misses the workers' time), and the number of timed iterations.
     */
    public record Timing(String method, String target, int batch, String backend, int threads, double medianMs, double medianCpuMs, int iterations) {}

    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

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
                List<Double> ms = new ArrayList<>(), cpu = new ArrayList<>();
                end = System.nanoTime() + (long) (seconds * 1e9);
                while (ms.size() < 5 || System.nanoTime() < end) {
                    long c0 = MX.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                    s.step(target, it, Rng.of(1, it + 1L));
                    ms.add((System.nanoTime() - t0) / 1e6);
                    cpu.add((MX.getCurrentThreadCpuTime() - c0) / 1e6);
                    it++;
                }
                return new Timing(methodName, targetName, batch, backend.name(), backend.threads(), median(ms), median(cpu), ms.size());
            });
        }
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[(a.length - 1) / 2];
    }

    /**
     * Median ms of each backend kernel one KSIVI / SIVI-SM iteration on banana calls, at batch n
     * (d = 2, SIMINet h = 50, critic width 128; F32), after a warm-up per kernel: where the time of a
     * step goes, kernel by kernel.
     */
    public static void kernelBreakdown(String backendName, int threads, int n, double warmupSeconds) {
        try (Backend b = Backends.create(backendName, threads)) {
            Rng rng = new Rng(1);
            DType dt = DType.F32;
            sivi.tensor.Tensor z = rng.normal(dt, n, 3), h = rng.normal(dt, n, 50), hf = rng.normal(dt, n, 128), x = rng.normal(dt, n, 2), y = rng.normal(dt, n, 2);
            sivi.tensor.Tensor w0 = rng.normal(dt, 3, 50), w1 = rng.normal(dt, 50, 50), w2 = rng.normal(dt, 50, 2), b50 = rng.normal(dt, 50), b2 = rng.normal(dt, 2);
            sivi.tensor.Tensor wf = rng.normal(dt, 128, 128), b128 = rng.normal(dt, 128);
            sivi.tensor.Tensor h1 = b.dense(sivi.kernels.Activation.RELU, h, w1, b50), hf1 = b.dense(sivi.kernels.Activation.RELU, hf, wf, b128);
            sivi.tensor.Tensor dist = b.sqDist(x, y), k = b.kernelFromSqDist(sivi.kernels.StationaryKernel.RBF, dist, 1.0);
            java.util.LinkedHashMap<String, Runnable> ops = new java.util.LinkedHashMap<>();
            ops.put("dense fwd n×3 → 50 relu", () -> b.dense(sivi.kernels.Activation.RELU, z, w0, b50));
            ops.put("dense fwd n×50 → 50 relu", () -> b.dense(sivi.kernels.Activation.RELU, h, w1, b50));
            ops.put("dense bwd n×50 → 50 (all grads)", () -> b.denseBackward(sivi.kernels.Activation.RELU, h, w1, b50, h1, h1));
            ops.put("dense fwd n×128 → 128 relu (critic)", () -> b.dense(sivi.kernels.Activation.RELU, hf, wf, b128));
            ops.put("dense bwd n×128 → 128 (all grads)", () -> b.denseBackward(sivi.kernels.Activation.RELU, hf, wf, b128, hf1, hf1));
            ops.put("matmul n×128 · (128×128)ᵀ (critic gx)", () -> b.matmul(hf1, wf, false, true));
            ops.put("sqDist n×n, d=2", () -> b.sqDist(x, y));
            ops.put("median of n×n", () -> b.median(dist));
            ops.put("kernelFromSqDist rbf", () -> b.kernelFromSqDist(sivi.kernels.StationaryKernel.RBF, dist, 1.0));
            ops.put("kernelFromSqDistBackward rbf", () -> b.kernelFromSqDistBackward(sivi.kernels.StationaryKernel.RBF, dist, k, 1.0, k));
            ops.put("matmul K(n×n) · D'(n×2)", () -> b.matmul(k, y, false, false));
            ops.put("matmul Kᵀ(n×n) · G(n×2)", () -> b.matmul(k, y, true, false));
            ops.put("matmul G(n×2) · D'(n×2)ᵀ → n×n", () -> b.matmul(x, y, false, true));
            ops.put("distContract n×n, d=2", () -> b.distContract(dist, x, y));
            ops.put("l1Dist n×n, d=2 (kernel=laplace)", () -> b.l1Dist(x, y));
            ops.put("l1DistContract n×n, d=2 (kernel=laplace)", () -> b.l1DistContract(dist, x, y));
            ops.put("ksdQuadratic n×n, d=e=2 rbf (value only)", () -> b.ksdQuadratic(sivi.kernels.StationaryKernel.RBF, x, y, y, x, 1.0));
            ops.put("ksdQuadraticWithGradient n×n, d=e=2 rbf (a ksivi step's pairwise work but the median)", () -> b.ksdQuadraticWithGradient(sivi.kernels.StationaryKernel.RBF, x, y, y, x, 1.0));
            ops.put("ksdQuadraticWithGradient n×n, d=e=2 laplace", () -> b.ksdQuadraticWithGradient(sivi.kernels.StationaryKernel.LAPLACE, x, y, y, x, 1.0));
            System.out.printf("# kernel breakdown: backend %s, threads %d, n %d%n", b.name(), b.threads(), n);
            for (var e : ops.entrySet()) {
                long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
                while (System.nanoTime() < end) e.getValue().run();
                List<Double> cpu = new ArrayList<>();
                end = System.nanoTime() + 500_000_000L;
                while (cpu.size() < 5 || System.nanoTime() < end) {
                    long c0 = MX.getCurrentThreadCpuTime();
                    e.getValue().run();
                    cpu.add((MX.getCurrentThreadCpuTime() - c0) / 1e6);
                }
                System.out.printf("%-42s %9.3f cpu-ms%n", e.getKey(), median(cpu));
            }
        }
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("kernels")) {
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
            kernelBreakdown(args.length > 2 ? args[2] : "auto", 1, n, 1.0);
            return;
        }
        String methods = "ksivi,sivi-sm", target = "banana", ns = "100,500,1000,2000", ts = "1,2", backend = "auto", dtype = "f32";
        double seconds = 3, warmup = 5;
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
        System.out.printf("%-10s %6s %-8s %7s %12s %12s %6s%n", "method", "N", "backend", "threads", "median_ms", "cpu_ms", "iters");
        for (String m : methods.split(","))
            for (String n : ns.split(","))
                for (String t : ts.split(",")) {
                    Timing r = time(m, target, Integer.parseInt(n), backend, Integer.parseInt(t), dt, warmup, seconds);
                    System.out.printf("%-10s %6d %-8s %7d %12.3f %12.3f %6d%n", r.method(), r.batch(), r.backend(), r.threads(), r.medianMs(), r.medianCpuMs(), r.iterations());
                }
    }
}
