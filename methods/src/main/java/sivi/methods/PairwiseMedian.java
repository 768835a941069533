package sivi.methods;

import static sivi.autodiff.Ops.slice;

import sivi.autodiff.Var;
import sivi.kernels.HostSearch;
import sivi.kernels.StationaryKernel;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The lower median of the N×M pairwise distances of x and y, and the first pair (row-major) that holds it,
 * without the N×M matrix: the distances are recomputed in blocks of rows, and the median's bits are found
 * 16 at a time by histograms (radix selection: 2 passes in f32, 4 in f64), then one more pass finds the pair.
 * Memory O(block + 2¹⁶) instead of O(NM); time a few distance passes, each cheaper than the KSD itself (half a pass
 * each when x and y are the same batch: the upper triangle only).
 * The distances of a block are the same op on a slice of the rows, so the value and the pair are those
 * of the whole matrix (sort of the whole matrix, as the oracle, in {@code PairwiseMedianTest}).
 */
final class PairwiseMedian {
    private PairwiseMedian() {}

    /** Entries per block of rows (4 MB in f32). */
    static final int BLOCK_ENTRIES = 1 << 20;

    /** The median value and its first pair (row i of x, row j of y). */
    record Result(double value, int row, int col) {}

    static Result of(StationaryKernel kernel, Var x, Var y) { return of(kernel, x, y, BLOCK_ENTRIES); }

    static Result of(StationaryKernel kernel, Var x, Var y, int blockEntries) {
        Var xd = x.detach(), yd = y.detach();
        // x = y (the U-statistic's batch against itself): the matrix is symmetric — D(i, j) and D(j, i) are the same
        // float, (a − b)² = (b − a)² and |a − b| = |b − a| — so the upper triangle with the diagonal counted once and
        // every other entry twice is the same multiset at half the distance passes, and its first row-major match is
        // the whole matrix's (a match (j, i) below the diagonal has its twin (i, j), i < j, in an earlier row)
        boolean sym = x == y;
        int n = xd.dim(0), m = yd.dim(0), rows = Math.max(1, blockEntries / Math.max(1, m));
        if ((long) n * m == 0) throw new IllegalArgumentException("median of an empty distance matrix");
        boolean f32 = xd.dtype() == DType.F32;
        int bits = f32 ? 32 : 64;
        long rank = ((long) n * m - 1) / 2, prefix = 0;   // the lower median: rank ⌊(NM − 1)/2⌋ in the sorted order
        for (int pass = 0; pass < bits / 16; pass++) {
            int shift = bits - 16 * (pass + 1);
            long[] hist = new long[1 << 16];
            for (int r0 = 0; r0 < n; r0 += rows) {
                int r1 = Math.min(n, r0 + rows), c0 = sym ? r0 : 0, w = m - c0;
                Tensor c = block(kernel, xd, yd, r0, r1, c0);
                int off = c.offset();
                if (!sym) count(c, f32, off, off + c.size(), 1, pass, shift, prefix, hist);
                else for (int li = 0; li < r1 - r0; li++) {   // row r0 + li: its diagonal entry once, the rest of the row twice
                    int d = off + li * w + li;
                    count(c, f32, d, d + 1, 1, pass, shift, prefix, hist);
                    count(c, f32, d + 1, off + (li + 1) * w, 2, pass, shift, prefix, hist);
                }
            }
            int digit = 0;
            while (rank >= hist[digit]) rank -= hist[digit++];
            prefix = (prefix << 16) | digit;
        }
        double value = f32 ? value32(prefix) : value64(prefix);
        for (int r0 = 0; r0 < n; r0 += rows) {
            int r1 = Math.min(n, r0 + rows), c0 = sym ? r0 : 0, w = m - c0;
            Tensor c = block(kernel, xd, yd, r0, r1, c0);
            if (!sym) {
                int at = find(c, f32, c.offset(), c.size(), value);
                if (at >= 0) return new Result(value, r0 + at / w, at % w);
            } else for (int li = 0; li < r1 - r0; li++) {
                int at = find(c, f32, c.offset() + li * w + li, w - li, value);
                if (at >= 0) return new Result(value, r0 + li, c0 + li + at);
            }
        }
        throw new IllegalStateException("pairwise median " + value + " not found again (distances not reproducible?)");
    }

    /** Adds weight to the histogram bin of every entry [from, to) of c's storage whose key matches the prefix so far. */
    private static void count(Tensor c, boolean f32, int from, int to, long weight, int pass, int shift, long prefix, long[] hist) {
        if (f32) {
            float[] a = c.floatStorage();
            for (int i = from; i < to; i++) {
                long key = key32(a[i]);
                if (pass == 0 || key >>> (shift + 16) == prefix) hist[(int) ((key >>> shift) & 0xFFFF)] += weight;
            }
        } else {
            double[] a = c.doubleStorage();
            for (int i = from; i < to; i++) {
                long key = key64(a[i]);
                if (pass == 0 || key >>> (shift + 16) == prefix) hist[(int) ((key >>> shift) & 0xFFFF)] += weight;
            }
        }
    }

    private static int find(Tensor c, boolean f32, int from, int len, double value) {
        return f32 ? HostSearch.firstMatch(c.floatStorage(), from, len, (float) value) : HostSearch.firstMatch(c.doubleStorage(), from, len, value);
    }

    /** The distances of rows [r0, r1) of x to rows [c0, M) of y. */
    private static Tensor block(StationaryKernel kernel, Var x, Var y, int r0, int r1, int c0) {
        return Ksivi.distances(kernel, slice(x, 0, r0, r1), c0 == 0 ? y : slice(y, 0, c0, y.dim(0))).value().contiguous();
    }

    // order-preserving keys: unsigned order of the key = Double.compare order of the value (−0.0 < 0.0, NaN last)
    static long key32(float v) {
        int b = Float.floatToRawIntBits(v);
        return (b ^ ((b >> 31) | 0x80000000)) & 0xFFFFFFFFL;
    }

    static double value32(long key) {
        int k = (int) key;
        return Float.intBitsToFloat(k < 0 ? k ^ 0x80000000 : ~k);
    }

    static long key64(double v) {
        long b = Double.doubleToRawLongBits(v);
        return b ^ ((b >> 63) | 0x8000000000000000L);
    }

    static double value64(long key) { return Double.longBitsToDouble(key < 0 ? key ^ 0x8000000000000000L : ~key); }
}
