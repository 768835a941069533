package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.kernels.Activation;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The dense backward keeps gp in a reused per-thread array, and gx = gp·Wᵀ for a layer of ≤ 8 inputs runs the GEMM's
 * dot-product path, whose row tails round by where the operand's array ends: a thread whose array grew on a larger
 * call must still give the bits of a fresh thread (else a fit's bits would depend on what ran before on its thread).
 */
class DenseScratchTest {
    private static Tensor rand(DType dt, SplittableRandom r, int... shape) {
        double[] v = new double[shape[0] * (shape.length > 1 ? shape[1] : 1)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() * 2 - 1;
        return Tensor.of(dt, v, shape);
    }

    private static Tensor[] backward(DType dt, Par par, Tensor[] in) {
        Tensor y = dt == DType.F32 ? DenseF32.forward(par, Activation.TANH, in[0], in[1], in[2]) : DenseF64.forward(par, Activation.TANH, in[0], in[1], in[2]);
        return dt == DType.F32 ? DenseF32.backward(par, Activation.TANH, in[0], in[1], in[2], y, in[3], true, true)
                : DenseF64.backward(par, Activation.TANH, in[0], in[1], in[2], y, in[3], true, true);
    }

    private static Tensor[] layer(DType dt, SplittableRandom r, int n, int in, int out) {
        return new Tensor[] {rand(dt, r, n, in), rand(dt, r, in, out), rand(dt, r, out), rand(dt, r, n, out)};
    }

    @ParameterizedTest @EnumSource(DType.class)
    void reusedGpRoundsAsAFreshOne(DType dt) throws Exception {
        var r = new SplittableRandom(5);
        Tensor[] small = layer(dt, r, 40, 3, 37), big = layer(dt, r, 90, 3, 61);
        Par par = new Par(1);
        try {
            Tensor[][] got = ScratchHistory.freshAndGrown(() -> backward(dt, par, big), () -> backward(dt, par, small));
            for (int o = 0; o < 3; o++)
                assertArrayEquals(got[0][o].toDoubleArray(), got[1][o].toDoubleArray(), "output " + o + " (gx, gW, gb): grown scratch vs fresh " + dt);
        } finally { par.close(); }
    }
}
