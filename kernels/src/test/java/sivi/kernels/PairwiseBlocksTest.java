package sivi.kernels;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import sivi.kernels.fused.median.MedianRef;
import sivi.kernels.fused.median.PairwiseBlocks;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** The blocked radix median against the oracle: sort the whole N×M matrix, first row-major match. */
class PairwiseBlocksTest {
    /** Shapes with one row, ragged blocks (block sizes not dividing N·M) and ties (repeated rows). */
    @Test void equalsTheSortedWholeMatrixOnEveryBackendDtypeDistanceAndBlockSize() {
        sweep(new int[][] {{1, 1, 1}, {1, 4, 2}, {3, 5, 3}, {37, 41, 7}, {200, 150, 2}}, (dt, s) -> new Tensor[] {points(dt, s[0], s[2], 11), points(dt, s[1], s[2], 12)});
    }

    /**
     * x = y (the U-statistic): the upper-triangle path gives the whole matrix's value and first pair — with repeated
     * rows, so off-diagonal zeros and ties across the diagonal are common, and an odd and even N.
     */
    @Test void equalsTheSortedWholeMatrixWhenBothSidesAreTheSameBatch() {
        sweep(new int[][] {{1, 1}, {2, 1}, {3, 3}, {38, 7}, {37, 2}, {200, 2}}, (dt, s) -> {
            Tensor x = points(dt, s[0], s[1], 13);
            return new Tensor[] {x, x};
        });
    }

    /** Every backend, dtype, distance, shape and block size: the blocked median against {@link #check}'s oracle. */
    private static void sweep(int[][] shapes, java.util.function.BiFunction<DType, int[], Tensor[]> sides) {
        for (String be : new String[] {"scalar", "simd"})
            try (Backend backend = Backends.create(be, 1)) {
                for (DType dt : new DType[] {DType.F32, DType.F64})
                    for (boolean l1 : new boolean[] {false, true})
                        for (int[] s : shapes)
                            for (int block : new int[] {1, 7, 64, 1 << 20}) {
                                Tensor[] xy = sides.apply(dt, s);
                                check(be + " " + dt + (l1 ? " l1" : " sq") + " " + java.util.Arrays.toString(s) + (xy[0] == xy[1] ? " self" : "") + " block " + block,
                                        backend, l1, xy[0], xy[1], block);
                            }
            }
    }

    /** Draws on a coarse grid, every third row a copy of the one before: many equal distances. */
    static Tensor points(DType dt, int n, int d, long seed) {
        double[] v = Rng.of(seed, 0).normal(DType.F64, n, d).toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.round(v[i] * 4) / 4.0;
        for (int i = 2; i < n; i += 3) System.arraycopy(v, (i - 1) * d, v, i * d, d);
        return Tensor.of(dt, v, n, d);
    }

    private static Tensor distances(Backend b, boolean l1, Tensor x, Tensor y) { return (l1 ? b.l1Dist(x, y) : b.sqDist(x, y)).contiguous(); }

    static void check(String what, Backend b, boolean l1, Tensor x, Tensor y, int block) {
        Tensor full = distances(b, l1, x, y);
        double med = MedianRef.lowerMedian(full);
        double[] all = full.toDoubleArray();
        int first = -1;
        for (int i = 0; i < all.length && first < 0; i++) if (all[i] == med) first = i;
        int m = y.dim(0);
        PairMedian r = PairwiseBlocks.of((r0, r1, c0) -> distances(b, l1, x.slice(0, r0, r1), c0 == 0 ? y : y.slice(0, c0, m)),
                x.dim(0), m, x.dtype() == DType.F32, x == y, block);
        assertEquals(med, r.value(), 0.0, what);
        assertEquals(first / m, r.row(), what);
        assertEquals(first % m, r.col(), what);
    }

    @Test void orderKeysSortLikeDoubleCompare() {
        double[] v = {-3.5, -0.0, 0.0, Double.MIN_VALUE, 1e-30, 1, 2.5, 1e300, Double.POSITIVE_INFINITY};
        for (int i = 0; i + 1 < v.length; i++) {
            assertTrue(Long.compareUnsigned(PairwiseBlocks.key64(v[i]), PairwiseBlocks.key64(v[i + 1])) < 0, v[i] + " < " + v[i + 1]);
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(PairwiseBlocks.value64(PairwiseBlocks.key64(v[i]))));
            float f = (float) v[i], g = (float) v[i + 1];
            if (Float.compare(f, g) < 0) assertTrue(PairwiseBlocks.key32(f) < PairwiseBlocks.key32(g), f + " < " + g);
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((float) PairwiseBlocks.value32(PairwiseBlocks.key32(f))));
        }
    }

    /**
     * Above {@link PairwiseBlocks#WHOLE_MATRIX_LIMIT} entries every backend's pairwiseMedian takes the blocked path (SIMD:
     * blocks in its reused buffer, on 1 and 2 threads; the oracle and the twin: blocks of their own distances) and
     * gives the whole matrix's median and first entry, for two batches and for one batch against itself.
     */
    @Test void pairwiseMedianAboveTheLimitIsTheWholeMatrixs() {
        Tensor x = points(DType.F32, 2100, 2, 3), y = points(DType.F32, 2100, 2, 4);
        assertTrue((long) x.dim(0) * y.dim(0) > PairwiseBlocks.WHOLE_MATRIX_LIMIT);
        for (Tensor[] xy : new Tensor[][] {{x, y}, {x, x}})
            for (Backend b : new Backend[] {Backends.create("scalar", 1), Backends.create("simd", 1), Backends.create("simd", 2), new TwinBackendTest.PrimitivesOnly()})
                try (b) {
                    Tensor full = distances(b, false, xy[0], xy[1]);
                    double med = b.median(full);
                    double[] all = full.toDoubleArray();
                    int first = 0;
                    while (all[first] != med) first++;
                    PairMedian r = b.pairwiseMedian(xy[0], xy[1], false);
                    String what = b.name() + (xy[0] == xy[1] ? " self" : "");
                    assertEquals(med, r.value(), 0.0, what);
                    assertEquals(first / 2100, r.row(), what);
                    assertEquals(first % 2100, r.col(), what);
                }
    }
}
