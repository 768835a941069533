package sivi.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link HostSearch#firstMatch} (vectorised) against a plain loop on sizes around the vector width, offsets, duplicates, ±0 and NaN. */
class HostSearchTest {
    private static int scalarF(float[] a, int off, int n, float v) { for (int i = 0; i < n; i++) if (a[off + i] == v) return i; return -1; }
    private static int scalarD(double[] a, int off, int n, double v) { for (int i = 0; i < n; i++) if (a[off + i] == v) return i; return -1; }

    @Test void findsTheFirstExactMatchAsAPlainLoopDoes() {
        var r = new SplittableRandom(5);
        for (int n : new int[] {0, 1, 2, 7, 8, 15, 16, 17, 31, 33, 64, 100, 1001}) {
            for (int trial = 0; trial < 20; trial++) {
                int off = r.nextInt(3);
                float[] f = new float[off + n];
                double[] d = new double[off + n];
                for (int i = 0; i < f.length; i++) { f[i] = r.nextInt(50); d[i] = f[i]; }   // many duplicates
                float v = trial % 4 == 0 ? 999 : r.nextInt(50);                             // sometimes absent
                if (n > 0 && trial % 5 == 1) { f[off + n - 1] = 777; d[off + n - 1] = 777; v = 777; }   // only in the tail
                assertEquals(scalarF(f, off, n, v), HostSearch.firstMatch(f, off, n, v), "f32 n=" + n + " off=" + off + " v=" + v);
                assertEquals(scalarD(d, off, n, v), HostSearch.firstMatch(d, off, n, (double) v), "f64 n=" + n + " off=" + off + " v=" + v);
            }
        }
    }

    @Test void ieeeEqualityForZerosAndNaN() {
        float[] f = new float[40];
        f[20] = -0.0f; f[3] = Float.NaN;
        for (int i = 0; i < f.length; i++) if (i != 20 && i != 3) f[i] = i + 1;
        assertEquals(20, HostSearch.firstMatch(f, 0, f.length, 0.0f));
        assertEquals(-1, HostSearch.firstMatch(f, 0, f.length, Float.NaN));
        double[] d = new double[40];
        for (int i = 0; i < d.length; i++) d[i] = f[i];
        assertEquals(20, HostSearch.firstMatch(d, 0, d.length, 0.0));
        assertEquals(-1, HostSearch.firstMatch(d, 0, d.length, Double.NaN));
    }
}
