package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import sivi.kernels.PairMedian;
import sivi.tensor.Tensor;

/**
 * The lower median of the N×M pairwise distances of x and y and its first entry without writing the matrix: for few
 * coordinates a distance costs less to recompute than to store and read back. Two passes over the pairs, each split by
 * rows over the threads (one dispatch each): the first counts the distances below eight pivots taken from a
 * sample of the matrix (as {@link Select}'s sample-pivot select), the second gathers the bracket between two pivots
 * that holds the median's rank, with each entry's flat index. The median is then selected in the bracket, and its
 * first entry is the first bracket entry equal to it (the bracket keeps the matrix's row-major order, and every entry
 * equal to the median is in it). A row's distances are computed into a row buffer by the stored path's own row loops
 * ({@code GemmF32}'s shallow SQ product, {@code l1Rows}), so every entry has the bits of the stored matrix and the
 * result is the stored path's, value and entry.
 *
 * <p>At N = 1000, d = 2 the stored path wrote 4 MB of distances (zeroed first) and read them three times (pivot counts,
 * bracket gather, first-match search), five short parallel passes over memory beyond L2; here everything a pass
 * touches but the bracket stays in L1.
 */
final class StreamedMedianF32 {
    private StreamedMedianF32() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The index lanes that go with S's lanes (as many): int lanes of half the width in the F64 twin. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, VectorShape.forBitSize(L * Integer.SIZE));
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);
    /** Up to this many coordinates the distances are recomputed rather than stored (the shallow-product path's depth). */
    static final int MAX_D = GemmF32.SKINNY;
    /** Entries per chunk of a pass (rows are split so that a chunk has at least this many). */
    private static final int GRAIN = 1 << 16;

    /**
     * The lower median of sqDist(x, y) (l1Dist when l1) and its first entry, or null when the pivots miss the median's
     * rank (NaN distances at or around it, or an unlucky sample): the caller then takes the stored path. Needs
     * d ≤ {@link #MAX_D} and {@link Select#SAMPLE} ≤ N·M &lt; 2³¹.
     */
    static PairMedian of(Par par, Tensor x, Tensor y, boolean l1) {
        int n = x.dim(0), m = y.dim(0), d = x.dim(1), size = n * m, k = (size - 1) / 2;
        int mp = (m + L - 1) / L * L;   // yᵀ's row stride and the row buffer's length: whole vectors, padding masked off
        float[] xs = x.contiguous().toFloatArray(), yT = PairwiseF32.transposed(y, mp);
        float[] piv = pivots(xs, yT, n, m, mp, d, l1, k);
        if (piv == null) return null;
        int grain = Math.max(1, GRAIN / m), chunks = par.chunks(n, grain);
        long[][] below = new long[chunks][];
        par.run(n, grain, (ch, lo, hi) -> below[ch] = countBelow(l1, lo, hi, m, mp, d, xs, yT, piv));
        long[] total = new long[Select.PIVOTS];
        for (long[] c : below) for (int j = 0; j < total.length; j++) total[j] += c[j];
        if (k < total[0]) return null;
        int j = 0;
        while (j + 1 < total.length && total[j + 1] <= k) j++;
        if (j == total.length - 1) return null;   // at or above the last pivot, or among the NaNs
        int count = (int) (total[j + 1] - total[j]), rank = (int) (k - total[j]);
        // Each chunk's share of the bracket is known from its counts; a share has one vector of slack because the
        // gather stores whole compressed vectors.
        int[] start = new int[chunks], share = new int[chunks];
        for (int ch = 0; ch < chunks; ch++) {
            share[ch] = (int) (below[ch][j + 1] - below[ch][j]);
            if (ch > 0) start[ch] = start[ch - 1] + share[ch - 1] + L;
        }
        float[] bracket = new float[count + chunks * L];
        int[] at = new int[count + chunks * L];
        float lower = piv[j], upper = piv[j + 1];
        par.run(n, grain, (ch, lo, hi) -> gather(l1, lo, hi, m, mp, d, xs, yT, lower, upper, bracket, at, start[ch]));
        for (int ch = 1, to = share[0]; ch < chunks; to += share[ch++]) {
            System.arraycopy(bracket, start[ch], bracket, to, share[ch]);
            System.arraycopy(at, start[ch], at, to, share[ch]);
        }
        double v = Select.kthOfBracket(bracket, count, rank);
        int first = FirstMatchF32.of(bracket, 0, count, (float) v);   // found: v is one of the bracket's entries
        return new PairMedian(v, at[first] / m, at[first] % m);
    }

    /**
     * The eight pivots around the median's rank from a sorted sample of the entries, or null on a NaN pivot. Sample s
     * takes row (s + ½)·N/SAMPLE and a column spread by the golden ratio: a flat stride that divides M would read a few
     * columns only (M = 512 at N = 512: one), and pivots from one particle's distances miss the median.
     */
    private static float[] pivots(float[] xs, float[] yT, int n, int m, int mp, int d, boolean l1, int k) {
        int size = n * m;
        float[] sample = new float[Select.SAMPLE];
        for (int s = 0; s < sample.length; s++) {
            int i = (int) ((2L * s + 1) * n / (2L * Select.SAMPLE)), c = (int) ((((s + 1) * 0x9E3779B9L) & 0xFFFFFFFFL) * m >>> 32);
            sample[s] = distance(l1, xs, i, yT, c, mp, d);
        }
        Arrays.sort(sample);
        int centre = (int) ((long) k * Select.SAMPLE / size);
        float[] piv = new float[Select.PIVOTS];
        for (int j = 0; j < piv.length; j++) {
            int r = Math.clamp(centre - Select.SPAN + (long) j * 2 * Select.SPAN / (Select.PIVOTS - 1), 0, Select.SAMPLE - 1);
            piv[j] = sample[r];
            if (piv[j] != piv[j]) return null;   // counts would not be monotone
        }
        return piv;
    }

    /** Entry (i, c) (yᵀ's row stride mp): the row buffer's operations for one lane. */
    private static float distance(boolean l1, float[] xs, int i, float[] yT, int c, int mp, int d) {
        float acc = 0;
        for (int p = 0; p < d; p++) {
            float xv = xs[i * d + p], yv = yT[p * mp + c];
            if (l1) acc = acc + Math.abs(xv - yv);
            else { float dv = yv - xv; acc = Math.fma(dv, dv, acc); }
        }
        return acc;
    }

    /**
     * Row i's distances into row[0..mp) (yᵀ's stride mp, a whole number of vectors; the padding columns' entries are
     * not distances and the passes mask them off), by the stored path's own row loops: the shallow GEMM's SQ rows or
     * {@code l1Rows}.
     */
    private static void distances(boolean l1, float[] xs, int i, float[] yT, int mp, int d, float[] row) {
        if (d == 0) Arrays.fill(row, 0, mp, 0f);
        else if (l1) PairwiseF32.l1Rows(i, i + 1, mp, d, xs, yT, row, 0);
        else GemmF32.smallKRows(GemmF32.SQ, 0, 1, mp, d, xs, i * d, d, 1, yT, row);
    }

    /** Per pivot, how many entries of rows [lo, hi) are below it (NaNs never are). */
    private static long[] countBelow(boolean l1, int lo, int hi, int m, int mp, int d, float[] xs, float[] yT, float[] piv) {
        float[] row = new float[mp];
        long[] out = new long[Select.PIVOTS];
        FloatVector one = FloatVector.broadcast(S, 1f), p0 = FloatVector.broadcast(S, piv[0]), p1 = FloatVector.broadcast(S, piv[1]),
                p2 = FloatVector.broadcast(S, piv[2]), p3 = FloatVector.broadcast(S, piv[3]), p4 = FloatVector.broadcast(S, piv[4]),
                p5 = FloatVector.broadcast(S, piv[5]), p6 = FloatVector.broadcast(S, piv[6]), p7 = FloatVector.broadcast(S, piv[7]);
        int ub = S.loopBound(m);
        VectorMask<Float> tail = S.indexInRange(ub, m);
        for (int i = lo; i < hi; i++) {
            distances(l1, xs, i, yT, mp, d, row);
            // per row, float lane counters stay far below 2²⁴ (exact); their lane sums are integers, exact in any order
            FloatVector z = FloatVector.zero(S), c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
            for (int q = 0; q < ub; q += L) {
                FloatVector v = FloatVector.fromArray(S, row, q);
                c0 = c0.add(one, v.compare(LT, p0)); c1 = c1.add(one, v.compare(LT, p1));
                c2 = c2.add(one, v.compare(LT, p2)); c3 = c3.add(one, v.compare(LT, p3));
                c4 = c4.add(one, v.compare(LT, p4)); c5 = c5.add(one, v.compare(LT, p5));
                c6 = c6.add(one, v.compare(LT, p6)); c7 = c7.add(one, v.compare(LT, p7));
            }
            if (ub < m) {   // the last, partial vector: padding lanes masked off
                FloatVector v = FloatVector.fromArray(S, row, ub);
                c0 = c0.add(one, v.compare(LT, p0).and(tail)); c1 = c1.add(one, v.compare(LT, p1).and(tail));
                c2 = c2.add(one, v.compare(LT, p2).and(tail)); c3 = c3.add(one, v.compare(LT, p3).and(tail));
                c4 = c4.add(one, v.compare(LT, p4).and(tail)); c5 = c5.add(one, v.compare(LT, p5).and(tail));
                c6 = c6.add(one, v.compare(LT, p6).and(tail)); c7 = c7.add(one, v.compare(LT, p7).and(tail));
            }
            out[0] += (long) c0.reduceLanes(ADD); out[1] += (long) c1.reduceLanes(ADD);
            out[2] += (long) c2.reduceLanes(ADD); out[3] += (long) c3.reduceLanes(ADD);
            out[4] += (long) c4.reduceLanes(ADD); out[5] += (long) c5.reduceLanes(ADD);
            out[6] += (long) c6.reduceLanes(ADD); out[7] += (long) c7.reduceLanes(ADD);
        }
        return out;
    }

    /**
     * Writes the entries of rows [lo, hi) in [lower, upper) to bracket[to..] and their flat indices to at[to..], in
     * row-major order, storing up to one vector past them (compressed vectors: in place, at N = M = 1000, 0.29 ms
     * against 0.47 for storing a vector's bracket lanes one by one).
     */
    private static void gather(boolean l1, int lo, int hi, int m, int mp, int d, float[] xs, float[] yT, float lower, float upper,
                               float[] bracket, int[] at, int to) {
        float[] row = new float[mp];
        FloatVector pl = FloatVector.broadcast(S, lower), pu = FloatVector.broadcast(S, upper);
        int ub = S.loopBound(m);
        VectorMask<Float> tail = S.indexInRange(ub, m);
        for (int i = lo; i < hi; i++) {
            distances(l1, xs, i, yT, mp, d, row);
            int base = i * m;
            for (int q = 0; q < ub; q += L) {
                FloatVector v = FloatVector.fromArray(S, row, q);
                to = store(v.compare(GE, pl).and(v.compare(LT, pu)), row, q, base, bracket, at, to);
            }
            if (ub < m) {
                FloatVector v = FloatVector.fromArray(S, row, ub);
                to = store(v.compare(GE, pl).and(v.compare(LT, pu)).and(tail), row, ub, base, bracket, at, to);
            }
        }
    }

    /** The lanes of in, from row[q..]: values to bracket[to..], flat indices base + column to at[to..]; the new to. */
    private static int store(VectorMask<Float> in, float[] row, int q, int base, float[] bracket, int[] at, int to) {
        FloatVector.fromArray(S, row, q).compress(in).intoArray(bracket, to);   // the slack past to: overwritten later or never read
        IOTA.add(base + q).compress(in.cast(I)).intoArray(at, to);
        return to + in.trueCount();
    }
}
