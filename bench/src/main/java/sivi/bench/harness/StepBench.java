package sivi.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.GemmMeter;
import sivi.kernels.Kernels;
import sivi.tensor.DType;

/**
 * Median time of one training iteration (after a long warm-up: Vector API code is 10–100× slower
 * until C2 has compiled it, which at small batch sizes takes seconds of iterations) of any method on any target (after warm-up), with the
 * preset "{method}-{target}" when one exists and the batch size overridden.
 */
public final class StepBench {
    private StepBench() {}

    public record Result(String method, String target, int batch, int threads, String backend, String dtype,
                         double medianMs, double minMs, double maxMs, int steps, double cpuMs, double gemmMflop, double gemmMs, double meteredMs, double allocMb,
                         java.util.List<GemmMeter.Shape> gemmShapes) {
        /**
         * GFLOP/s per thread inside the GEMM calls of a step: flops over the GEMM thread time ({@link GemmMeter}; NaN when the
         * backend's GEMM is not metered, e.g. scalar).
         */
        public double gemmGflops() { return gemmMs > 0 ? gemmMflop / gemmMs : Double.NaN; }

        /**
         * The share of the metered iterations' thread time (threads × their wall time, {@code meteredMs} per iteration) spent
         * in GEMM — both from the same iterations: against the timing pass's median a slow metered pass on a busy machine
         * gave shares above 100 % on one thread.
         */
        public double gemmShare() { return gemmMs / (threads * meteredMs); }

        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", method); o.put("target", target); o.put("batch", batch); o.put("threads", threads);
            o.put("backend", backend); o.put("dtype", dtype);
            o.put("median_ms", medianMs); o.put("min_ms", minMs); o.put("max_ms", maxMs); o.put("steps", steps);
            o.put("cpu_ms", cpuMs);
            o.put("gemm_mflop", gemmMflop); o.put("gemm_thread_ms", gemmMs); o.put("metered_ms", meteredMs);
            o.put("alloc_mb", Double.isFinite(allocMb) ? allocMb : null);
            return o;
        }

        /** The 1-thread run of the same method, target, batch, backend and dtype among {@code steps}, if there is one. */
        public java.util.Optional<Result> oneThreadTwin(java.util.List<Result> steps) {
            return steps.stream().filter(o -> o.threads() == 1 && o.method().equals(method) && o.target().equals(target) && o.batch() == batch
                    && o.backend().equals(backend) && o.dtype().equals(dtype)).findFirst();
        }

        public String key() { return "step/" + method + "/" + target + "/N" + batch + "/t" + threads + "/" + backend + "/" + dtype; }
    }

    /** Iterations of the metered pass (GEMM counts, allocation) after the timing pass. */
    public static int meteredSteps(boolean quick) { return quick ? 10 : 50; }

    public static Result run(String methodName, String targetName, int batch, String backend, int threads, DType dtype, boolean quick) {
        try (Backend b = Backends.create(backend, threads)) {
            Runnable step = JarStepper.on(b, methodName, targetName, batch, dtype);
            return Kernels.with(b, () -> {
                int[] it = {0};
                Timing.Result r = Timing.measure(() -> { step.run(); it[0]++; }, quick ? 1000 : 2000, quick ? 7 : 21, quick ? 20 : 100);
                // a separate metered pass, so that the timing above pays nothing for the counting
                int metered = meteredSteps(quick);
                long alloc0 = allocatedBytes(), t0 = System.nanoTime();
                GemmMeter.start();
                try {
                    for (int i = 0; i < metered; i++) { step.run(); it[0]++; }
                } finally {
                    GemmMeter.stop();
                }
                double meteredMs = (System.nanoTime() - t0) / 1e6 / metered;
                long alloc1 = allocatedBytes();
                double allocMb = alloc0 < 0 || alloc1 < 0 ? Double.NaN : (alloc1 - alloc0) / 1e6 / metered;
                return new Result(methodName, targetName, batch, threads, b.name(), dtype.label(), r.medianMs(), r.minMs(), r.maxMs(), it[0], r.cpuMedianMs(),
                        GemmMeter.flops() / 1e6 / metered, GemmMeter.nanos() / 1e6 / metered, meteredMs, allocMb, GemmMeter.shapes());
            });
        }
    }

    /**
     * Bytes allocated so far by all live threads (the workers of the backend included), or −1 when the JVM cannot say.
     * Allocation per iteration (after the warm-up: code not yet compiled by C2 boxes Vector API values) is the churn of
     * a step — what it allocates and drops, which costs cache misses and collections — not what it holds; that is
     * {@link HeapCap}'s check. (The peak use of the old generation, the large-N column before, was neither: it counted
     * the garbage promoted between full collections as well as live arrays and depended on when the collector ran —
     * 2.8 GB for SIVI-SM on lr-waveform at N = 10 000, a step that runs in a 256 MB heap.)
     */
    static long allocatedBytes() {
        if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()) {
            if (!t.isThreadAllocatedMemoryEnabled()) t.setThreadAllocatedMemoryEnabled(true);
            return t.getTotalThreadAllocatedBytes();
        }
        return -1;
    }
}
