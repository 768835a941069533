package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.kernels.KsdBounds;
import sivi.kernels.StationaryKernel;
import sivi.kernels.ref.ScalarBackend;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The GEMM form of the KSD backward in blocks of rows (what runs above {@link KsdF32#GEMM_MAX_PAIRS} pairs, where one
 * N×M array would not fit): small inputs forced into several blocks — one row each, uneven blocks with a short last
 * one, all rows but one — agree with the scalar oracle within {@link KsdBounds}, one block is the unblocked form bit
 * for bit, and the blocked result does not depend on the thread count.
 */
class KsdBlocksTest {
    private static final int N = 40, M = 37, D = 22;

    private static Tensor rand(DType dt, SplittableRandom r, double lo, double hi, int... shape) {
        double[] v = new double[shape[0] * shape[1]];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Tensor.of(dt, v, shape);
    }

    private static Tensor[] gemmForm(DType dt, Par par, StationaryKernel k, Tensor[] in, double h, int rows) {
        return dt == DType.F32 ? KsdF32.withGradientGemm(par, k, in[0], in[1], in[2], in[3], h, rows)
                : KsdF64.withGradientGemm(par, k, in[0], in[1], in[2], in[3], h, rows);
    }

    private static Tensor[] inputs(DType dt, boolean self) {
        var r = new SplittableRandom(7);
        Tensor x = rand(dt, r, -2, 2, N, D), a = rand(dt, r, -1, 1, N, D);
        return self ? new Tensor[] {x, x, a, a} : new Tensor[] {x, rand(dt, r, -2, 2, M, D), a, rand(dt, r, -1, 1, M, D)};
    }

    @ParameterizedTest @EnumSource(DType.class)
    void blocksOfRowsAgreeWithTheOracle(DType dt) {
        var ref = new ScalarBackend();
        String[] names = {"S", "gx", "gy", "ga", "gb", "gh"};
        Par par = new Par(2);
        try {
            for (StationaryKernel k : new StationaryKernel[] {StationaryKernel.RBF, StationaryKernel.IMQ})
                for (boolean self : new boolean[] {false, true}) {
                    Tensor[] in = inputs(dt, self);
                    double h = 1.5;
                    Tensor[] want = ref.ksdQuadraticWithGradient(k, in[0], in[1], in[2], in[3], h);
                    double[][] tol = KsdBounds.of(k, in[0], in[1], in[2], in[3], h, 4, 0);
                    for (int rows : new int[] {1, 7, N - 1, N}) {
                        Tensor[] got = gemmForm(dt, par, k, in, h, rows);
                        for (int o = 0; o < 6; o++) {
                            double[] w = want[o].toDoubleArray(), g = got[o].toDoubleArray(), t = KsdBounds.plusUlp(tol[o], want[o]);
                            assertEquals(w.length, g.length, names[o] + " size");
                            for (int i = 0; i < w.length; i++)
                                assertTrue(Math.abs(g[i] - w[i]) <= t[i], k + (self ? " self" : "") + " " + dt + " blocks of " + rows + " rows, "
                                        + names[o] + "[" + i + "]: want " + w[i] + ", got " + g[i] + " (tol " + t[i] + ")");
                        }
                    }
                }
        } finally { par.close(); }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void oneBlockIsTheUnblockedFormAndBlocksDoNotDependOnTheThreadCount(DType dt) {
        Tensor[] in = inputs(dt, false);
        Par one = new Par(1), two = new Par(2);
        try {
            var backend = new SimdBackend(1);
            Tensor[] plain = backend.ksdQuadraticWithGradient(StationaryKernel.RBF, in[0], in[1], in[2], in[3], 1.5);
            Tensor[] oneBlock = gemmForm(dt, one, StationaryKernel.RBF, in, 1.5, N);
            Tensor[] blocked1 = gemmForm(dt, one, StationaryKernel.RBF, in, 1.5, 9), blocked2 = gemmForm(dt, two, StationaryKernel.RBF, in, 1.5, 9);
            for (int o = 0; o < 6; o++) {
                assertArrayEquals(plain[o].toDoubleArray(), oneBlock[o].toDoubleArray(), "output " + o + ": one block vs the backend's form");
                assertArrayEquals(blocked1[o].toDoubleArray(), blocked2[o].toDoubleArray(), "output " + o + ": blocks on 1 vs 2 threads");
            }
            backend.close();
        } finally { one.close(); two.close(); }
    }

    /**
     * The pair matrices live in reused per-thread arrays; a GEMM's dot-product tail (C of ≤ 8 columns, here e = 3) rounds
     * by where its operand array ends, so a thread whose arrays grew on a larger call must still give the bits of one
     * whose arrays are exactly this call's size (the first call on a fresh thread).
     */
    @ParameterizedTest @EnumSource(DType.class)
    void reusedPairArraysRoundAsFreshOnes(DType dt) throws Exception {
        var r = new SplittableRandom(11);
        Tensor x = rand(dt, r, -2, 2, N, D), y = rand(dt, r, -2, 2, M, D), a = rand(dt, r, -1, 1, N, 3), b = rand(dt, r, -1, 1, M, 3);
        Tensor[] big = {rand(dt, r, -2, 2, 60, D), rand(dt, r, -2, 2, 61, D), rand(dt, r, -1, 1, 60, 3), rand(dt, r, -1, 1, 61, 3)};
        Par par = new Par(1);
        try {
            Tensor[][] got = ScratchHistory.freshAndGrown(() -> gemmForm(dt, par, StationaryKernel.RBF, big, 1.5, 60),
                    () -> gemmForm(dt, par, StationaryKernel.RBF, new Tensor[] {x, y, a, b}, 1.5, N));
            for (int o = 0; o < 6; o++)
                assertArrayEquals(got[0][o].toDoubleArray(), got[1][o].toDoubleArray(), "output " + o + ": grown scratch vs fresh " + dt);
        } finally { par.close(); }
    }

    @org.junit.jupiter.api.Test
    void blockHeightsKeepOneBlockUpToTheLimitAndBoundTheArraysAbove() {
        assertEquals(2000, KsdF32.blockRows(2000, 2000));   // 4·10⁶ pairs: one block, as before
        int rows = KsdF32.blockRows(10_000, 10_000);
        assertTrue(rows < 10_000 && (long) rows * 10_000 <= KsdF32.GEMM_BLOCK_PAIRS, "rows " + rows);
        assertEquals(1, KsdF32.blockRows(5, 1 << 23));       // a row wider than a block still runs, one row at a time
    }
}
