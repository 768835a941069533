package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Packing B is data movement only: a row-major B (vector path, masked on a short last panel, or the scalar path when
 * a panel's last row ends within a vector of the array's end) and the same B stored transposed (the column-wise path)
 * give the packed GEMM the same panels, so the products agree bit for bit — for both micro-kernels, widths around
 * the panel width NR, depths across the KC block, and B at the start, middle and very end of its array.
 */
class PackTest {
    private static final int NR = GemmF32.NR;

    @Test void rowMajorAndTransposedBGiveTheSameBits() {
        var r = new SplittableRandom(21);
        int[] widths = {9, NR - 1, NR, NR + 1, NR + GemmF32.L, 3 * NR + 5, 400};
        int[] depths = {9, 22, 100, GemmF32.KC + 7};
        Par par = new Par(1);
        try {
            for (int mode : new int[] {GemmF32.MUL, GemmF32.SQ})
                for (int n : widths)
                    for (int k : depths)
                        for (int lead : new int[] {0, 5})
                            for (int trail : new int[] {0, 3, 2 * NR}) {
                                int m = 13;
                                float[] a = new float[m * k];
                                for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
                                // B (k×n) row-major inside b, after `lead` and before `trail` spare elements
                                float[] b = new float[lead + k * n + trail], bt = new float[n * k];
                                for (int p = 0; p < k; p++)
                                    for (int j = 0; j < n; j++) {
                                        float v = (float) r.nextDouble(-1, 1);
                                        b[lead + p * n + j] = v;
                                        bt[j * k + p] = v;
                                    }
                                float[] c1 = new float[m * n], c2 = new float[m * n];
                                GemmF32.gemm(par, mode, m, n, k, a, 0, k, 1, b, lead, n, 1, c1, null);
                                GemmF32.gemm(par, mode, m, n, k, a, 0, k, 1, bt, 0, 1, k, c2, null);
                                for (int i = 0; i < c1.length; i++)
                                    assertEquals(Float.floatToRawIntBits(c2[i]), Float.floatToRawIntBits(c1[i]),
                                            "mode " + mode + " n=" + n + " k=" + k + " lead=" + lead + " trail=" + trail + " at " + i);
                            }
        } finally { par.close(); }
    }
}
