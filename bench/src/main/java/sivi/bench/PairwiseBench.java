package sivi.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;
import sivi.kernels.Backend;
import sivi.kernels.StationaryKernel;
import sivi.tensor.Tensor;

/**
 * The pairwise RBF kernel and its gradient as KSIVI uses them, x, y of n×d points (d = 8):
 * D = sqDist(x, y), K = k(D, h), {gD, gh} = backward(K, upstream 1), {gx, gy} = distContract(gD, x, y).
 * Flops (exp counted as one): sqDist 3n²d, kernel 2n², backward 5n², distContract 4n²d + 4n²:
 * 7n²d + 11n² in all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PairwiseBench {
    static final int D = 8;

    @Param({"scalar", "simd"}) public String backend;
    @Param({"f32", "f64"}) public String dtype;
    /** The scalar oracle is capped at 2000 by BenchMain. */
    @Param({"100", "500", "1000", "2000", "4000"}) public int n;

    Backend be;
    Tensor x, y, ones;

    static double flops(int n) { return 7.0 * n * n * D + 11.0 * n * n; }

    @Setup public void setup() {
        be = Common.backend(backend);
        x = Common.rand(dtype, 3, -2, 2, n, D);
        y = Common.rand(dtype, 4, -2, 2, n, D);
        ones = Common.rand(dtype, 5, 1, 1, n, n);
    }

    @TearDown public void close() { be.close(); }

    @Benchmark public void kernelAndGradient(Blackhole bh) {
        Tensor d2 = be.sqDist(x, y);
        Tensor k = be.kernelFromSqDist(StationaryKernel.RBF, d2, 1.5);
        Tensor[] g = be.kernelFromSqDistBackward(StationaryKernel.RBF, d2, k, 1.5, ones);
        Tensor[] gxy = be.distContract(g[0], x, y);
        bh.consume(g[1]); bh.consume(gxy[0]); bh.consume(gxy[1]);
    }
}
