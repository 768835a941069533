package sivi.methods;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.constant;

import org.junit.jupiter.api.Test;
import sivi.autodiff.Var;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.kernels.fused.median.MedianRef;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** The blocked radix median against the oracle: sort the whole N×M matrix, first row-major match. */
class PairwiseMedianTest {
    /** Shapes with one row, ragged blocks (block sizes not dividing N·M) and ties (repeated rows). */
    @Test void equalsTheSortedWholeMatrixOnEveryBackendDtypeKernelAndBlockSize() throws Exception {
        sweep(new int[][] {{1, 1, 1}, {1, 4, 2}, {3, 5, 3}, {37, 41, 7}, {200, 150, 2}}, (dt, s) -> {
            Var x = constant(points(dt, s[0], s[2], 11)), y = constant(points(dt, s[1], s[2], 12));
            return new Var[] {x, y};
        });
    }

    /**
     * x = y (the U-statistic): the upper-triangle path gives the whole matrix's value and first pair — with repeated
     * rows, so off-diagonal zeros and ties across the diagonal are common, and an odd and even N.
     */
    @Test void equalsTheSortedWholeMatrixWhenBothSidesAreTheSameBatch() throws Exception {
        sweep(new int[][] {{1, 1}, {2, 1}, {3, 3}, {38, 7}, {37, 2}, {200, 2}}, (dt, s) -> {
            Var x = constant(points(dt, s[0], s[1], 13));
            return new Var[] {x, x};
        });
    }

    /** Every backend, dtype, kernel, shape and block size: the blocked median against {@link #check}'s oracle. */
    private static void sweep(int[][] shapes, java.util.function.BiFunction<DType, int[], Var[]> sides) throws Exception {
        for (String be : new String[] {"scalar", "simd"})
            try (Backend backend = Backends.create(be, 1)) {
                Kernels.with(backend, () -> {
                    for (DType dt : new DType[] {DType.F32, DType.F64})
                        for (StationaryKernel k : new StationaryKernel[] {StationaryKernel.RBF, StationaryKernel.LAPLACE})
                            for (int[] s : shapes)
                                for (int block : new int[] {1, 7, 64, 1 << 20}) {
                                    Var[] xy = sides.apply(dt, s);
                                    check(be + " " + dt + " " + k + " " + java.util.Arrays.toString(s) + (xy[0] == xy[1] ? " self" : "") + " block " + block, k, xy[0], xy[1], block);
                                }
                    return null;
                });
            }
    }

    /** Draws on a coarse grid, every third row a copy of the one before: many equal distances. */
    static Tensor points(DType dt, int n, int d, long seed) {
        double[] v = Rng.of(seed, 0).normal(DType.F64, n, d).toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.round(v[i] * 4) / 4.0;
        for (int i = 2; i < n; i += 3) System.arraycopy(v, (i - 1) * d, v, i * d, d);
        return Tensor.of(dt, v, n, d);
    }

    static void check(String what, StationaryKernel k, Var x, Var y, int block) {
        Tensor full = Ksivi.distances(k, x, y).value().contiguous();
        double med = MedianRef.lowerMedian(full);
        double[] all = full.toDoubleArray();
        int first = -1;
        for (int i = 0; i < all.length && first < 0; i++) if (all[i] == med) first = i;
        PairwiseMedian.Result r = PairwiseMedian.of(k, x, y, block);
        assertEquals(med, r.value(), 0.0, what);
        int m = y.dim(0);
        assertEquals(first / m, r.row(), what);
        assertEquals(first % m, r.col(), what);
    }

    @Test void orderKeysSortLikeDoubleCompare() {
        double[] v = {-3.5, -0.0, 0.0, Double.MIN_VALUE, 1e-30, 1, 2.5, 1e300, Double.POSITIVE_INFINITY};
        for (int i = 0; i + 1 < v.length; i++) {
            assertTrue(Long.compareUnsigned(PairwiseMedian.key64(v[i]), PairwiseMedian.key64(v[i + 1])) < 0, v[i] + " < " + v[i + 1]);
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(PairwiseMedian.value64(PairwiseMedian.key64(v[i]))));
            float f = (float) v[i], g = (float) v[i + 1];
            if (Float.compare(f, g) < 0) assertTrue(PairwiseMedian.key32(f) < PairwiseMedian.key32(g), f + " < " + g);
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((float) PairwiseMedian.value32(PairwiseMedian.key32(f))));
        }
    }

    /** Above the limit Ksivi's bandwidth takes the blocked path: the same bandwidth as the whole matrix. */
    @Test void ksiviBandwidthIsTheSameAboveTheLimit() {
        Var x = constant(points(DType.F32, 2100, 2, 3)), y = constant(points(DType.F32, 2100, 2, 4));
        assertTrue((long) x.dim(0) * y.dim(0) > Ksivi.FULL_MATRIX_LIMIT);
        Tensor full = Ksivi.distances(StationaryKernel.RBF, x, y).value();
        double viaMatrix = Math.sqrt(0.5 * sivi.autodiff.Ops.median(constant(full)).item() / Math.log(2101));
        Ksivi.Estimator est = new Ksivi.Estimator(StationaryKernel.RBF, false, true, false, 0);
        assertEquals(viaMatrix, Ksivi.bandwidth(est, x, y, 2100).item(), 1e-6 * viaMatrix);
    }
}
