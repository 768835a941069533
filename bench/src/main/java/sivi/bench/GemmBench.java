package sivi.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import sivi.kernels.Backend;
import sivi.tensor.Tensor;

/** C = A B for square n×n operands. Flops: 2n³ (one multiply and one add per term). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
    @Param({"scalar", "simd"}) public String backend;
    @Param({"f32", "f64"}) public String dtype;
    /** The scalar oracle takes seconds per call above 512 (BenchMain caps it there). */
    @Param({"100", "256", "500", "1000", "2000", "4000"}) public int n;

    Backend be;
    Tensor a, b;

    static double flops(int n) { return 2.0 * n * n * n; }

    @Setup public void setup() {
        be = Common.backend(backend);
        a = Common.rand(dtype, 1, -1, 1, n, n);
        b = Common.rand(dtype, 2, -1, 1, n, n);
    }

    @TearDown public void close() { be.close(); }

    @Benchmark public Tensor matmul() { return be.matmul(a, b, false, false); }
}
