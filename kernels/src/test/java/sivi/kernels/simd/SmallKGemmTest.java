package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The small-depth GEMM paths (k ≤ {@link GemmF32#SKINNY}: written-out p loops up to {@link GemmF32#UNROLLED_K}, the
 * general loop above) are one FMA per p in p order from +0, per output element: bit for bit the scalar loop
 * {@code acc = fma(a, b, acc)} (MUL) or {@code d = b − a; acc = fma(d, d, acc)} (SQ). Widths around the vector length
 * (scalar tails), one row, signed zeros, strided A, 1 and 2 threads, f32 and f64.
 */
class SmallKGemmTest {

    @ParameterizedTest @ValueSource(ints = {1, 2})
    void smallDepthProductsAreTheScalarFmaChainBitForBit(int threads) {
        Par par = new Par(threads);
        try {
            var r = new SplittableRandom(5);
            for (int k = 1; k <= GemmF32.SKINNY; k++)
                for (int m : new int[] {1, 3, 70})
                    for (int n : new int[] {1, 15, 16, 17, 33, 130})
                        for (int mode : new int[] {GemmF32.MUL, GemmF32.SQ})
                            for (boolean transposedA : new boolean[] {false, true}) {
                                String what = "k=" + k + " m=" + m + " n=" + n + (mode == GemmF32.SQ ? " sq" : " mul") + (transposedA ? " A^T" : "");
                                float[] a = values(r, m * k), b = values(r, k * n);
                                int ars = transposedA ? 1 : k, acs = transposedA ? m : 1;
                                float[] c = new float[m * n];
                                GemmF32.gemm(par, mode, m, n, k, a, 0, ars, acs, b, 0, n, 1, c, null);
                                double[] ad = widen(a), bd = widen(b), cd = new double[m * n];
                                GemmF64.gemm(par, mode, m, n, k, ad, 0, ars, acs, bd, 0, n, 1, cd, null);
                                for (int i = 0; i < m; i++)
                                    for (int j = 0; j < n; j++) {
                                        float acc = 0;
                                        double accd = 0;
                                        for (int p = 0; p < k; p++) {
                                            float x = a[i * ars + p * acs], y = b[p * n + j];
                                            if (mode == GemmF32.SQ) { float d = y - x; acc = Math.fma(d, d, acc); double dd = (double) y - x; accd = Math.fma(dd, dd, accd); }
                                            else { acc = Math.fma(x, y, acc); accd = Math.fma((double) x, y, accd); }
                                        }
                                        assertEquals(Float.floatToRawIntBits(acc), Float.floatToRawIntBits(c[i * n + j]), what + " f32 at " + i + "," + j);
                                        assertEquals(Double.doubleToRawLongBits(accd), Double.doubleToRawLongBits(cd[i * n + j]), what + " f64 at " + i + "," + j);
                                    }
                            }
        } finally {
            par.close();
        }
    }

    /** Normal values with exact zeros of both signs mixed in (products and differences that are −0 or +0). */
    private static float[] values(SplittableRandom r, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = switch (r.nextInt(8)) { case 0 -> -0f; case 1 -> 0f; default -> (float) r.nextGaussian(); };
        return v;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
