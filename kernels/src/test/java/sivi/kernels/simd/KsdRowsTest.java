package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The one-sweep row pass for d = e = 2 ({@code rows2}) gives the bits of the general row pass ({@code rows}) for
 * every output: each kernel (squared and L1 distances, exponential and IMQ), row counts below, at and past the
 * vector length (padding columns), one and two threads, a self pair (y = x), and coordinates with ties, zeros and a
 * large spread. The general row pass is checked against the scalar oracle by BackendContract.
 */
class KsdRowsTest {
    private static final int L = KsdF32.L;

    private static Tensor rand(DType dt, SplittableRandom r, double scale, int rows) {
        double[] v = new double[rows * 2];
        for (int i = 0; i < v.length; i++)
            v[i] = switch (r.nextInt(8)) {
                case 0 -> 0;                                         // exact zeros: sign(0), |0|
                case 1 -> i > 0 ? v[i - 1] : 1;                      // ties between coordinates
                default -> scale * (r.nextDouble(-1, 1)) * Math.pow(10, r.nextInt(-2, 2));
            };
        return Tensor.of(dt, v, rows, 2);
    }

    private static Tensor[] rows(DType dt, Par par, StationaryKernel k, Tensor[] in, double h, boolean twoD) {
        return dt == DType.F32 ? KsdF32.withGradientRows(par, k, in[0], in[1], in[2], in[3], h, twoD)
                : KsdF64.withGradientRows(par, k, in[0], in[1], in[2], in[3], h, twoD);
    }

    @ParameterizedTest @EnumSource(DType.class)
    void oneSweepIsTheGeneralRowPassBitForBit(DType dt) {
        String[] names = {"S", "gx", "gy", "ga", "gb", "gh"};
        int[] sizes = {1, 2, L - 1, L, L + 1, 2 * L + 3, 100, 257};
        Par one = new Par(1), two = new Par(2);
        try {
            var r = new SplittableRandom(11);
            for (StationaryKernel k : StationaryKernel.values())
                for (int n : sizes)
                    for (int m : new int[] {1, L + 1, 257}) {
                        boolean self = n == m && r.nextBoolean();
                        Tensor x = rand(dt, r, 3, n), a = rand(dt, r, 2, n);
                        Tensor[] in = self ? new Tensor[] {x, x, a, a} : new Tensor[] {x, rand(dt, r, 3, m), a, rand(dt, r, 2, m)};
                        double h = 0.1 + 2 * r.nextDouble();
                        for (Par par : new Par[] {one, two}) {
                            Tensor[] want = rows(dt, par, k, in, h, false), got = rows(dt, par, k, in, h, true);
                            for (int o = 0; o < 6; o++)
                                assertArrayEquals(want[o].toDoubleArray(), got[o].toDoubleArray(),
                                        k + " " + dt + " n=" + n + " m=" + m + (self ? " self" : "") + " threads=" + par.threads() + ": " + names[o]);
                        }
                    }
        } finally { one.close(); two.close(); }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void emptySidesGiveZerosAndOtherWidthsAreRefused(DType dt) {
        Par par = new Par(1);
        try {
            var r = new SplittableRandom(3);
            Tensor x = rand(dt, r, 1, 4), a = rand(dt, r, 1, 4), none = Tensor.of(dt, new double[0], 0, 2);
            Tensor[] got = rows(dt, par, StationaryKernel.RBF, new Tensor[] {x, none, a, none}, 1, true);
            assertEquals(0, got[0].toDoubleArray()[0]);
            assertArrayEquals(new double[8], got[1].toDoubleArray());
            Tensor x3 = Tensor.of(dt, new double[6], 2, 3);
            assertThrows(IllegalArgumentException.class, () -> rows(dt, par, StationaryKernel.RBF, new Tensor[] {x3, x3, x3, x3}, 1, true));
        } finally { par.close(); }
    }
}
