package sivi.kernels.fused.median;

import sivi.kernels.HostSearch;
import sivi.kernels.PairMedian;
import sivi.tensor.Tensor;

/**
 * The lower median of an N×M distance matrix and the first entry (row-major) that holds it, without the matrix: the
 * distances come in blocks of rows from a {@link Source}, and the median's bits are found 16 at a time by histograms
 * (radix selection: 2 passes in f32, 4 in f64), then one more pass finds the entry. Memory O(block + 2¹⁶) instead of
 * O(NM); time a few distance passes (half a pass each when x and y are the same batch: the upper triangle only).
 * A block is the same distance op on a slice of the rows, so the value and the entry are those of the whole matrix
 * (sorting the whole matrix is the oracle in {@code PairwiseBlocksTest}). {@link sivi.kernels.Backend#pairwiseMedian} takes this
 * path above {@link #WHOLE_MATRIX_LIMIT} entries.
 */
public final class PairwiseBlocks {
    private PairwiseBlocks() {}

    /** Entries above which the pairwise median goes by blocks (16 MiB of f32 distances, 32 MiB of f64, at the limit). */
    public static final long WHOLE_MATRIX_LIMIT = 1L << 22;
    /** Entries per block of rows (4 MiB in f32). */
    public static final int BLOCK_ENTRIES = 1 << 20;

    /** The distances of rows [r0, r1) to columns [c0, M), contiguous; its storage may be reused by the next call. */
    public interface Source { Tensor rows(int r0, int r1, int c0); }

    /**
     * The median of the n×m matrix src gives in blocks of about blockEntries; symmetric: the matrix is symmetric
     * (x = y), so only its upper triangle is read (the diagonal once, every other entry for two).
     */
    public static PairMedian of(Source src, int n, int m, boolean f32, boolean symmetric, int blockEntries) {
        // symmetric: D(i, j) and D(j, i) are the same float ((a − b)² = (b − a)², |a − b| = |b − a|), so the upper
        // triangle with the diagonal counted once and every other entry twice is the same multiset, and its first
        // row-major match is the whole matrix's (a match (j, i) below the diagonal has its twin (i, j), i < j, earlier)
        if ((long) n * m == 0) throw new IllegalArgumentException("pairwiseMedian of an empty distance matrix (" + n + "×" + m + ")");
        int rows = Math.max(1, blockEntries / Math.max(1, m)), bits = f32 ? 32 : 64;
        long rank = ((long) n * m - 1) / 2, prefix = 0;   // the lower median: rank ⌊(NM − 1)/2⌋ in the sorted order
        for (int pass = 0; pass < bits / 16; pass++) {
            int shift = bits - 16 * (pass + 1);
            long[] hist = new long[1 << 16];
            for (int r0 = 0; r0 < n; r0 += rows) {
                int r1 = Math.min(n, r0 + rows), c0 = symmetric ? r0 : 0, w = m - c0;
                Tensor c = src.rows(r0, r1, c0);
                int off = c.offset();
                if (!symmetric) count(c, f32, off, off + c.size(), 1, pass, shift, prefix, hist);
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
            int r1 = Math.min(n, r0 + rows), c0 = symmetric ? r0 : 0, w = m - c0;
            Tensor c = src.rows(r0, r1, c0);
            if (!symmetric) {
                int at = find(c, f32, c.offset(), c.size(), value);
                if (at >= 0) return new PairMedian(value, r0 + at / w, at % w);
            } else for (int li = 0; li < r1 - r0; li++) {
                int at = find(c, f32, c.offset() + li * w + li, w - li, value);
                if (at >= 0) return new PairMedian(value, r0 + li, c0 + li + at);
            }
        }
        return new PairMedian(value, -1, -1);   // a NaN median: NaN equals nothing
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

    // order-preserving keys: unsigned order of the key = Double.compare order of the value (−0.0 < 0.0, NaN last)
    public static long key32(float v) {
        int b = Float.floatToRawIntBits(v);
        return (b ^ ((b >> 31) | 0x80000000)) & 0xFFFFFFFFL;
    }

    public static double value32(long key) {
        int k = (int) key;
        return Float.intBitsToFloat(k < 0 ? k ^ 0x80000000 : ~k);
    }

    public static long key64(double v) {
        long b = Double.doubleToRawLongBits(v);
        return b ^ ((b >> 63) | 0x8000000000000000L);
    }

    public static double value64(long key) { return Double.longBitsToDouble(key < 0 ? key ^ 0x8000000000000000L : ~key); }
}
