package sivi.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;
import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.tensor.Tensor;

/**
 * The conditional layer y = tanh(x W + b) forward + backward for a batch of n rows, width 128 → 128.
 * Flops: forward 2·n·I·O (+ n·O epilogue), backward 4·n·I·O (two GEMMs; gp and gb are n·O): ≈ 6·n·I·O.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DenseBench {
    static final int IN = 128, OUT = 128;

    @Param({"scalar", "simd"}) public String backend;
    @Param({"f32", "f64"}) public String dtype;
    /** The scalar oracle is capped at 2000 by BenchMain. */
    @Param({"100", "500", "1000", "2000", "4000"}) public int n;

    Backend be;
    Tensor x, w, b, gy;

    static double flops(int n) { return 6.0 * n * IN * OUT; }

    @Setup public void setup() {
        be = Common.backend(backend);
        x = Common.rand(dtype, 10, -1, 1, n, IN);
        w = Common.rand(dtype, 11, -0.2, 0.2, IN, OUT);
        b = Common.rand(dtype, 12, -0.1, 0.1, OUT);
        gy = Common.rand(dtype, 13, -1, 1, n, OUT);
    }

    @TearDown public void close() { be.close(); }

    @Benchmark public void forwardBackward(Blackhole bh) {
        Tensor y = be.dense(Activation.TANH, x, w, b);
        Tensor[] grads = be.denseBackward(Activation.TANH, x, w, b, y, gy);
        bh.consume(grads[0]); bh.consume(grads[1]); bh.consume(grads[2]);
    }
}
