package sivi.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Registry;
import sivi.fit.Session;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.GemmMeter;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;

/**
 * Median time of one training iteration (after a long warm-up: Vector API code is 10–100× slower
 * until C2 has compiled it, which at small batch sizes takes seconds of iterations) of any method on any target (after warm-up), with the
 * preset "{method}-{target}" when one exists and the batch size overridden.
 */
public final class StepBench {
    private StepBench() {}

    public record Result(String method, String target, int batch, int threads, String backend, String dtype,
                         double medianMs, double minMs, double maxMs, int steps, double cpuMs, double gemmMflop, double gemmMs, double peakHeapMb) {
        /** GFLOP/s inside the GEMM calls of a step (NaN when the backend's GEMM is not metered, e.g. scalar). */
        public double gemmGflops() { return gemmMs > 0 ? gemmMflop / gemmMs : Double.NaN; }

        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", method); o.put("target", target); o.put("batch", batch); o.put("threads", threads);
            o.put("backend", backend); o.put("dtype", dtype);
            o.put("median_ms", medianMs); o.put("min_ms", minMs); o.put("max_ms", maxMs); o.put("steps", steps);
            o.put("cpu_ms", cpuMs);
            o.put("gemm_mflop", gemmMflop); o.put("gemm_ms", gemmMs);
            o.put("peak_old_gen_mb", Double.isFinite(peakHeapMb) ? peakHeapMb : null);
            return o;
        }

        /** The 1-thread run of the same method, target, batch, backend and dtype among {@code steps}, if there is one. */
        public java.util.Optional<Result> oneThreadTwin(java.util.List<Result> steps) {
            return steps.stream().filter(o -> o.threads() == 1 && o.method().equals(method) && o.target().equals(target) && o.batch() == batch
                    && o.backend().equals(backend) && o.dtype().equals(dtype)).findFirst();
        }

        public String key() { return "step/" + method + "/" + target + "/N" + batch + "/t" + threads + "/" + backend + "/" + dtype; }
    }

    public static Result run(String methodName, String targetName, int batch, String backend, int threads, DType dtype, boolean quick) {
        Method method = Registry.method(methodName);
        Target target = Targets.create(targetName);
        Options opts = Registry.defaultPreset(methodName, targetName).map(p -> p.options()).orElse(Options.empty()).with("batch", batch);
        try (Backend b = Backends.create(backend, threads)) {
            return Kernels.with(b, () -> {
                resetHeapPeaks();
                Session s = method.init(target, opts, dtype, Rng.of(1, 0));
                int[] it = {0};
                Timing.Result r = Timing.measure(() -> { s.step(target, it[0], Rng.of(1, it[0] + 1L)); it[0]++; },
                        quick ? 1000 : 2000, quick ? 7 : 21, quick ? 20 : 100);
                // a separate metered pass, so that the timing above pays nothing for the counting
                int metered = quick ? 10 : 50;
                GemmMeter.start();
                try {
                    for (int i = 0; i < metered; i++) { s.step(target, it[0], Rng.of(1, it[0] + 1L)); it[0]++; }
                } finally {
                    GemmMeter.stop();
                }
                return new Result(methodName, targetName, batch, threads, b.name(), dtype.label(), r.medianMs(), r.minMs(), r.maxMs(), it[0], r.cpuMedianMs(),
                        GemmMeter.flops() / 1e6 / metered, GemmMeter.nanos() / 1e6 / metered, heapPeakMb());
            });
        }
    }

    /**
     * The peak use of the old generation ("Tenured Gen" of the serial collector the launcher runs, "G1 Old Gen", …) since
     * {@link #resetHeapPeaks}, in MB. Arrays larger than the young generation are allocated there directly, so an N×N
     * f32 matrix shows as 4N² bytes (400 MB at N = 10 000); the young generation's churn does not count. NaN when the
     * collector has no such pool.
     */
    static double heapPeakMb() {
        long sum = 0;
        boolean found = false;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            String n = pool.getName();
            if (pool.getType() == java.lang.management.MemoryType.HEAP && (n.contains("Old") || n.contains("Tenured")) && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
                found = true;
            }
        }
        return found ? sum / 1e6 : Double.NaN;
    }

    static void resetHeapPeaks() {
        System.gc();
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans())
            if (pool.getType() == java.lang.management.MemoryType.HEAP) pool.resetPeakUsage();
    }
}
