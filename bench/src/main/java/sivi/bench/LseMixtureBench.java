package sivi.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;
import sivi.kernels.Backend;
import sivi.tensor.Tensor;

/**
 * The log-sum-exp Gaussian mixture (SIVI's K-sample surrogate) forward + backward, n rows of x
 * against K = n components in d = 8 dimensions, per-component logSigma.
 * Flops (exp/log counted as one): forward n·K·(4d + 4), backward n·K·(4d + 4) to recompute ℓ plus
 * n·K·(7d + 6) for the responsibilities and the three gradient sums: n·K·(15d + 14) in all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LseMixtureBench {
    static final int D = 8;

    @Param({"scalar", "simd"}) public String backend;
    @Param({"f32", "f64"}) public String dtype;
    /** The scalar oracle is capped at 2000 by BenchMain. */
    @Param({"100", "500", "1000", "2000", "4000"}) public int n;

    Backend be;
    Tensor x, mu, logSigma, g;

    static double flops(int n) { return (double) n * n * (15.0 * D + 14); }

    @Setup public void setup() {
        be = Common.backend(backend);
        x = Common.rand(dtype, 6, -3, 3, n, D);
        mu = Common.rand(dtype, 7, -3, 3, n, D);
        logSigma = Common.rand(dtype, 8, -1, 0.5, n, D);
        g = Common.rand(dtype, 9, -1, 1, n);
    }

    @TearDown public void close() { be.close(); }

    @Benchmark public void forwardBackward(Blackhole bh) {
        bh.consume(be.lseMixture(x, mu, logSigma));
        Tensor[] grads = be.lseMixtureBackward(x, mu, logSigma, g);
        bh.consume(grads[0]); bh.consume(grads[1]); bh.consume(grads[2]);
    }
}
