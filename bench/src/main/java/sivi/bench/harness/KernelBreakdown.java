package sivi.bench.harness;

import java.util.LinkedHashMap;
import java.util.List;
import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * Where the time of a KSIVI / SIVI-SM step on banana goes, kernel by kernel: the backend kernels
 * one iteration calls at batch n (d = 2, SIMINet width 50, critic width 128; F32), each timed
 * alone with {@link Timing#measure} ({@code sivi bench breakdown --batch N}).
 */
public final class KernelBreakdown {
    private KernelBreakdown() {}

    public record Row(String kernel, Timing.Result timing) {}

    public static List<Row> run(String backendName, int threads, int n, boolean quick) {
        try (Backend b = Backends.create(backendName, threads)) {
            Rng rng = new Rng(1);
            DType dt = DType.F32;
            Tensor z = rng.normal(dt, n, 3), h = rng.normal(dt, n, 50), hf = rng.normal(dt, n, 128), x = rng.normal(dt, n, 2), y = rng.normal(dt, n, 2);
            Tensor w0 = rng.normal(dt, 3, 50), w1 = rng.normal(dt, 50, 50), b50 = rng.normal(dt, 50);
            Tensor wf = rng.normal(dt, 128, 128), b128 = rng.normal(dt, 128);
            Tensor h1 = b.dense(Activation.RELU, h, w1, b50), hf1 = b.dense(Activation.RELU, hf, wf, b128);
            Tensor dist = b.sqDist(x, y), k = b.kernelFromSqDist(StationaryKernel.RBF, dist, 1.0);
            LinkedHashMap<String, Runnable> ops = new LinkedHashMap<>();
            ops.put("dense fwd n×3 → 50 relu", () -> b.dense(Activation.RELU, z, w0, b50));
            ops.put("dense fwd n×50 → 50 relu", () -> b.dense(Activation.RELU, h, w1, b50));
            ops.put("dense bwd n×50 → 50 (all grads)", () -> b.denseBackward(Activation.RELU, h, w1, b50, h1, h1));
            ops.put("dense fwd n×128 → 128 relu (critic)", () -> b.dense(Activation.RELU, hf, wf, b128));
            ops.put("dense bwd n×128 → 128 (all grads)", () -> b.denseBackward(Activation.RELU, hf, wf, b128, hf1, hf1));
            ops.put("matmul n×128 · (128×128)ᵀ (critic gx)", () -> b.matmul(hf1, wf, false, true));
            ops.put("sqDist n×n, d=2", () -> b.sqDist(x, y));
            ops.put("median of n×n", () -> b.median(dist));
            ops.put("kernelFromSqDist rbf", () -> b.kernelFromSqDist(StationaryKernel.RBF, dist, 1.0));
            ops.put("kernelFromSqDistBackward rbf", () -> b.kernelFromSqDistBackward(StationaryKernel.RBF, dist, k, 1.0, k));
            ops.put("matmul K(n×n) · D'(n×2)", () -> b.matmul(k, y, false, false));
            ops.put("matmul Kᵀ(n×n) · G(n×2)", () -> b.matmul(k, y, true, false));
            ops.put("matmul G(n×2) · D'(n×2)ᵀ → n×n", () -> b.matmul(x, y, false, true));
            ops.put("distContract n×n, d=2", () -> b.distContract(dist, x, y));
            ops.put("l1Dist n×n, d=2 (kernel=laplace)", () -> b.l1Dist(x, y));
            ops.put("l1DistContract n×n, d=2 (kernel=laplace)", () -> b.l1DistContract(dist, x, y));
            ops.put("ksdQuadratic n×n, d=e=2 rbf (value only)", () -> b.ksdQuadratic(StationaryKernel.RBF, x, y, y, x, 1.0));
            ops.put("ksdQuadraticWithGradient n×n, d=e=2 rbf (a ksivi step's pairwise work but the median)", () -> b.ksdQuadraticWithGradient(StationaryKernel.RBF, x, y, y, x, 1.0));
            ops.put("ksdQuadraticWithGradient n×n, d=e=2 laplace", () -> b.ksdQuadraticWithGradient(StationaryKernel.LAPLACE, x, y, y, x, 1.0));
            return ops.entrySet().stream()
                .map(e -> new Row(e.getKey(), Timing.measure(e.getValue(), quick ? 200 : 1000, quick ? 5 : 11, quick ? 10 : 50)))
                .toList();
        }
    }
}
