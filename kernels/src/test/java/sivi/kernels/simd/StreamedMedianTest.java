package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sivi.kernels.PairMedian;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The streamed pairwise median (distances recomputed in its two passes, never stored) is the stored path's result bit
 * for bit: the lower median of the backend's own sqDist / l1Dist matrix and the first row-major entry holding it. The
 * shapes take it (d ≤ {@link StreamedMedianF32#MAX_D}, at least {@link Select#RADIX_MIN} entries) with widths around the
 * vector length, d = 1 … 8, ties, x = y, and 1 to 3 threads (chunks of rows in any split); two inputs make its pivots
 * miss (null, the caller's fallback) and the backend still returns the matrix's median.
 */
class StreamedMedianTest {

    @ParameterizedTest @ValueSource(ints = {1, 2, 3})
    void streamedMedianIsTheStoredMatrixsMedianAndFirstEntry(int threads) {
        Par par = new Par(threads);
        try (SimdBackend be = new SimdBackend(threads)) {
            var r = new SplittableRandom(31);
            int[][] shapes = {{500, 500, 2}, {64, 129, 1}, {97, 143, 3}, {300, 31, 8}, {100, 257, 5}, {1, 9000, 2}, {9000, 1, 4}, {128, 64, 7}};
            for (DType dt : DType.values())
                for (boolean l1 : new boolean[] {false, true})
                    for (int[] sh : shapes) {
                        String what = (l1 ? "l1 " : "sq ") + sh[0] + "x" + sh[1] + " d=" + sh[2] + " " + dt + " threads=" + threads;
                        Tensor x = rand(dt, r, sh[0], sh[2], false), y = rand(dt, r, sh[1], sh[2], false);
                        check(par, be, x, y, l1, false, what);
                        if (sh[0] == sh[1]) check(par, be, x, x, l1, false, what + " x=y");
                        // integer coordinates in a small range: most distances tie, so the first entry is what is tested;
                        // pivots may then coincide with the median (a miss: the stored path's answer is checked instead)
                        check(par, be, rand(dt, r, sh[0], sh[2], true), rand(dt, r, sh[1], sh[2], true), l1, true, what + " ties");
                    }
        } finally {
            par.close();
        }
    }

    @ParameterizedTest @ValueSource(ints = {1, 2})
    void pivotsThatMissTheMedianLeaveItToTheStoredPath(int threads) {
        Par par = new Par(threads);
        try (SimdBackend be = new SimdBackend(threads)) {
            for (DType dt : DType.values())
                for (boolean l1 : new boolean[] {false, true}) {
                    // 4096×2: sample s reads row (s + ½)·4096/512 = 8s + 4; those rows of x lie far away, so every pivot
                    // is above the median and the counts put its rank below the first
                    double[] xv0 = new double[4096 * 2];
                    for (int i = 0; i < 4096; i++) for (int p = 0; p < 2; p++) xv0[i * 2 + p] = i % 8 == 4 ? 1000 + i : (i * 0.37 + p) % 3;
                    Tensor x = Tensor.of(dt, xv0, 4096, 2), y = rand(dt, new SplittableRandom(4), 2, 2, false);
                    assertNull(StreamedMedianF32.of(par, x, y, l1), "pivots above the median: no result, " + dt + (l1 ? " l1" : " sq"));
                    assertMatrixMedian(be, x, y, l1, be.pairwiseMedian(x, y, l1), "outlier columns " + dt);
                    // most rows NaN: the median's rank lies among the NaNs, which no pivot brackets
                    double[] xv = new double[200 * 2];
                    for (int i = 0; i < xv.length; i++) xv[i] = i < 240 ? Double.NaN : i * 0.01;
                    Tensor xn = Tensor.of(dt, xv, 200, 2), yn = rand(dt, new SplittableRandom(5), 60, 2, false);
                    assertNull(StreamedMedianF32.of(par, xn, yn, l1), "NaN median: no result, " + dt);
                    PairMedian pn = be.pairwiseMedian(xn, yn, l1);
                    assertTrue(Double.isNaN(pn.value()) && pn.row() == -1 && pn.col() == -1, "NaN median from the stored path: " + pn);
                }
        } finally {
            par.close();
        }
    }

    private static void check(Par par, SimdBackend be, Tensor x, Tensor y, boolean l1, boolean mayMiss, String what) {
        PairMedian got = x.dtype() == DType.F32 ? StreamedMedianF32.of(par, x, y, l1) : StreamedMedianF64.of(par, x, y, l1);
        if (got == null) assertTrue(mayMiss, "continuous inputs: the pivots bracket the median, " + what);
        else assertMatrixMedian(be, x, y, l1, got, what);
        PairMedian op = be.pairwiseMedian(x, y, l1);
        assertMatrixMedian(be, x, y, l1, op, what + " (backend op)");
        if (got != null) assertEquals(got, op, "the backend's op takes the streamed path, " + what);
    }

    /** got is the lower median of the backend's stored distance matrix and its first row-major entry. */
    private static void assertMatrixMedian(SimdBackend be, Tensor x, Tensor y, boolean l1, PairMedian got, String what) {
        Tensor d = l1 ? be.l1Dist(x, y) : be.sqDist(x, y);
        double med = be.median(d);
        double[] dv = d.toDoubleArray();
        int first = 0;
        while (dv[first] != med) first++;
        assertEquals(Double.doubleToRawLongBits(med), Double.doubleToRawLongBits(got.value()), "median bits, " + what);
        assertEquals(first / d.dim(1), got.row(), "first entry's row, " + what);
        assertEquals(first % d.dim(1), got.col(), "first entry's column, " + what);
    }

    private static Tensor rand(DType dt, SplittableRandom r, int n, int d, boolean integers) {
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) v[i] = integers ? Math.floor(r.nextDouble(0, 3)) : r.nextDouble(-2, 2);
        return Tensor.of(dt, v, n, d);
    }
}
