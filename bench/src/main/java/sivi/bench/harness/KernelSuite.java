package sivi.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Times every hot kernel on every available backend, both dtypes, over a size sweep, and reports
 * one row per case. Flop counts (documented per kernel, counting a multiply-add as 2 and exp as 1):
 * <ul>
 *   <li>gemm n³: 2n³;</li>
 *   <li>pairwise (forward: sqDist + RBF kernel; backward: kernel backward + distance contraction), N×N
 *       pairs in d dims: N²(3d + 2) forward + N²(4d + 4) backward;</li>
 *   <li>lse-mixture, N points × K components × d: N·K·(4d + 2) forward + N·K·(6d + 3) backward;</li>
 *   <li>layer, dense N×h → h with ReLU: 2Nh² forward + 4Nh² backward.</li>
 * </ul>
 */
public final class KernelSuite {
    private KernelSuite() {}

    /** One measured case. */
    public record Row(String kernel, String backend, String dtype, int n, int m, int d, int k, int threads,
                      double medianMs, double minMs, double maxMs, double gflops) {
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kernel", kernel); o.put("backend", backend); o.put("dtype", dtype);
            o.put("n", n); o.put("m", m); o.put("d", d); o.put("k", k); o.put("threads", threads);
            o.put("median_ms", medianMs); o.put("min_ms", minMs); o.put("max_ms", maxMs); o.put("gflops", gflops);
            return o;
        }

        /** The identity of a case across runs (everything but the timings). */
        public String key() { return kernel + "/" + backend + "/" + dtype + "/n" + n + "/m" + m + "/d" + d + "/k" + k + "/t" + threads; }
    }

    /** Backends to run: scalar, simd (1 and 2 threads), and opencl when a device exists. */
    static List<String[]> backends(boolean withOpenCl) {
        List<String[]> b = new ArrayList<>();
        b.add(new String[] {"scalar", "1"});
        b.add(new String[] {"simd", "1"});
        b.add(new String[] {"simd", "2"});
        if (withOpenCl) b.add(new String[] {"opencl", "1"});
        return b;
    }

    public static boolean openClAvailable() {
        return sivi.kernels.Backends.openClAvailable();
    }

    /**
     * Sizes and timing effort of a run. The warm-up is long because Vector API code runs slowly
     * until C2 has compiled it (seconds on a busy machine).
     */
    public record Profile(int[] gemmSizes, int[] pairSizes, int[] mixSizes, int[] layerSizes, double warmupMs, int reps, double minRepMs) {
        public static final Profile FULL = new Profile(new int[] {64, 128, 256, 512, 1024}, new int[] {100, 500, 1000, 2000, 4000},
                new int[] {100, 500, 1000, 2000, 4000}, new int[] {100, 500, 1000, 2000, 4000}, 400, 11, 50);
        public static final Profile QUICK = new Profile(new int[] {64, 256}, new int[] {100, 1000}, new int[] {100, 1000}, new int[] {100, 1000}, 150, 5, 10);
        /** Proves every case runs (the test suite uses it); its timings mean nothing. */
        public static final Profile SMOKE = new Profile(new int[] {17}, new int[] {9}, new int[] {9}, new int[] {9}, 1, 1, 0);
    }

    public static List<Row> run(boolean quick, boolean withOpenCl, Consumer<Row> onRow) {
        return run(quick ? Profile.QUICK : Profile.FULL, withOpenCl, onRow);
    }

    public static List<Row> run(Profile pr, boolean withOpenCl, Consumer<Row> onRow) {
        // A discarded pass over every case first: C2 compiles Vector API code only after many calls,
        // and a case measured before that would time the interpreter, not the kernel.
        if (pr.warmupMs() > 1) measureAll(new Profile(pr.gemmSizes(), pr.pairSizes(), pr.mixSizes(), pr.layerSizes(), 3 * pr.warmupMs(), 1, 0), withOpenCl, null);
        return measureAll(pr, withOpenCl, onRow);
    }

    private static List<Row> measureAll(Profile pr, boolean withOpenCl, Consumer<Row> onRow) {
        List<Row> rows = new ArrayList<>();
        int[] gemmSizes = pr.gemmSizes(), pairSizes = pr.pairSizes(), mixSizes = pr.mixSizes(), layerSizes = pr.layerSizes();
        double warm = pr.warmupMs();
        int reps = pr.reps();
        double minRep = pr.minRepMs();
        for (String[] be : backends(withOpenCl)) {
            try (Backend b = Backends.create(be[0], Integer.parseInt(be[1]))) {
                for (DType dt : DType.values()) {
                    boolean ref = be[0].equals("scalar");
                    for (int n : gemmSizes) {
                        if (ref && n > 256) continue; // the oracle is O(n³) with no blocking: capped at 256
                        Rng rng = new Rng(n);
                        Tensor a = rng.normal(dt, n, n), c = rng.normal(dt, n, n);
                        rows.add(emit(onRow, "gemm", be, dt, n, n, n, 0, 2.0 * n * n * n,
                                Timing.measure(() -> b.matmul(a, c, false, false), warm, reps, minRep)));
                    }
                    for (int n : pairSizes) {
                        if (ref && n > 1000) continue;
                        int d = 2;
                        Rng rng = new Rng(n + 1);
                        Tensor x = rng.normal(dt, n, d), y = rng.normal(dt, n, d), g = rng.normal(dt, n, n);
                        double flops = (double) n * n * (3 * d + 2) + (double) n * n * (4 * d + 4);
                        rows.add(emit(onRow, "pairwise", be, dt, n, n, d, 0, flops, Timing.measure(() -> {
                            Tensor dist = b.sqDist(x, y);
                            Tensor k = b.kernelFromSqDist(StationaryKernel.RBF, dist, 1.0);
                            Tensor[] gk = b.kernelFromSqDistBackward(StationaryKernel.RBF, dist, k, 1.0, g);
                            b.distContract(gk[0], x, y);
                        }, warm, reps, minRep)));
                    }
                    for (int n : mixSizes) {
                        if (ref && n > 1000) continue;
                        int d = 22, kk = 100;
                        Rng rng = new Rng(n + 2);
                        Tensor x = rng.normal(dt, n, d), mu = rng.normal(dt, kk, d), ls = Tensor.zeros(dt, 1, d), g = rng.normal(dt, n);
                        double flops = (double) n * kk * (4 * d + 2) + (double) n * kk * (6 * d + 3);
                        rows.add(emit(onRow, "lse-mixture", be, dt, n, kk, d, kk, flops, Timing.measure(() -> {
                            b.lseMixture(x, mu, ls);
                            b.lseMixtureBackward(x, mu, ls, g);
                        }, warm, reps, minRep)));
                    }
                    for (int n : layerSizes) {
                        if (ref && n > 1000) continue;
                        int h = 100;
                        Rng rng = new Rng(n + 3);
                        Tensor x = rng.normal(dt, n, h), w = rng.normal(dt, h, h), bias = rng.normal(dt, h), gy = rng.normal(dt, n, h);
                        double flops = 6.0 * n * h * h;
                        rows.add(emit(onRow, "layer", be, dt, n, h, h, 0, flops, Timing.measure(() -> {
                            Tensor y = b.dense(Activation.RELU, x, w, bias);
                            b.denseBackward(Activation.RELU, x, w, bias, y, gy);
                        }, warm, reps, minRep)));
                    }
                }
            }
        }
        return rows;
    }

    private static Row emit(Consumer<Row> onRow, String kernel, String[] be, DType dt, int n, int m, int d, int k, double flops, Timing.Result r) {
        Row row = new Row(kernel, be[0], dt.label(), n, m, d, k, Integer.parseInt(be[1]), r.medianMs(), r.minMs(), r.maxMs(), flops / (r.medianMs() * 1e6));
        if (onRow != null) onRow.accept(row);
        return row;
    }
}
