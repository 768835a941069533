package sivi.kernels.simd;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Order statistics by selection (introselect): O(n) expected, O(n log n) worst case. */
final class Select {
    private Select() {}

    /**
     * The lower median ((n−1)/2-th smallest) of a copy of v. NaNs count as larger than everything,
     * as in {@link Arrays#sort(double[])}; a zero median gets the sign the sort would give (−0.0
     * before 0.0), so the result is exactly the sorted oracle's.
     */
    static double lowerMedian(double[] v) { return lowerMedian(v, v.length); }

    /**
     * As {@link #lowerMedian(double[])} of a[off..off+n), on a copy in this thread's scratch (a is not reordered); par is
     * unused: the F64 twin of the float path's call lands here (generated from PairwiseF32).
     */
    static double lowerMedian(Par par, double[] a, int off, int n) {
        double[] v = Scratch.doubles(Scratch.SELECT_COPY, n);
        System.arraycopy(a, off, v, 0, n);
        return lowerMedian(v, n);
    }

    /** The lower median of v[0..len), reordering it. */
    private static double lowerMedian(double[] v, int len) {
        if (len == 0) throw new IllegalArgumentException("median of an empty tensor");
        int k = (len - 1) / 2, n = 0;
        for (int i = 0; i < len; i++) { double e = v[i]; if (!Double.isNaN(e)) v[n++] = e; }   // v is our own copy: compact the numbers
        if (k >= n) return Double.NaN;
        double r = select(v, 0, n - 1, k);
        if (r != 0) return r;
        // A zero median: the sorted order puts −0.0 before 0.0, so its sign is that of the k-th of the sort.
        int below = 0;
        for (int i = 0; i < n; i++) if (v[i] < 0 || (v[i] == 0 && Double.doubleToRawLongBits(v[i]) != 0)) below++;
        return k < below ? -0.0 : 0.0;
    }

    /** Below this many elements a float copy and introselect beat clearing two 2¹⁶-bucket histograms. */
    static final int RADIX_MIN = 1 << 13;

    /**
     * The lower median ((n−1)/2-th smallest, NaNs sorted last as in {@link Arrays#sort(float[])})
     * of a[off..off+n), without copying a: a sample-pivot select (two vector passes), falling back to a
     * radix select on the order-preserving integer image of the float bits when the pivots miss. The
     * result is an element of a, exactly the oracle's (−0.0 sorts before 0.0, as in the sort).
     */
    static double lowerMedian(float[] a, int off, int n) { return lowerMedian(null, a, off, n); }

    /** Elements per chunk of the parallel passes (a radix chunk clears its own 2¹⁶ counters). */
    private static final int HIST_GRAIN = 1 << 16;

    /**
     * As {@link #lowerMedian(float[], int, int)}, the counting and gather passes split over par's
     * chunks (integer counts, so the result does not depend on the split).
     */
    static double lowerMedian(Par par, float[] a, int off, int n) {
        if (n == 0) throw new IllegalArgumentException("median of an empty tensor");
        int k = (n - 1) / 2;
        if (n < RADIX_MIN) {
            double[] dv = new double[n];
            for (int i = 0; i < n; i++) dv[i] = a[off + i];
            return lowerMedian(dv);
        }
        long key = kthBySamplePivots(par, a, off, n, k);
        return key >= 0 ? unkey((int) key) : radixKth(par, a, off, n, k);
    }

    /** Elements taken (spread over the array) to place the pivots. */
    static final int SAMPLE = 512;
    /** Pivots counted in the one vector pass; 8 accumulators stay in registers. */
    static final int PIVOTS = 8;
    /** Half-width of the pivot span in sample ranks: 4 standard deviations of a sample median's rank. */
    static final int SPAN = (int) Math.ceil(4 * Math.sqrt(SAMPLE * 0.25));
    /** Brackets up to this size are selected directly; larger ones recurse. */
    private static final int DIRECT_MAX = 1 << 11;
    private static final FloatVector ONE = FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, 1f);

    /**
     * The key of the k-th smallest (NaNs last) of a[off..off+n), or −1 when the pivots miss it.
     * Floyd–Rivest-style: 8 pivots from a sorted sample bracket rank k with high probability;
     * one vector pass counts the elements below each pivot (compares, no histogram: histogram counters
     * that many elements hit serialise on store-to-load forwarding), a second pass gathers the
     * bracket [p_j, p_{j+1}) that holds rank k, which is then selected on its own. Counts are integers
     * split over par's chunks, so the result does not depend on the split; it is the exact element.
     */
    private static long kthBySamplePivots(Par par, float[] a, int off, int n, int k) {
        // Positions spread by the golden ratio, not a flat stride: a stride that is a multiple of a row's length reads
        // one column of a pairwise matrix (N = 1024: every sample a distance to the same particle), whose pivots miss
        // the median and send every call to the radix fallback (3× slower at N = 1024, d = 22).
        float[] sample = new float[SAMPLE];
        for (int i = 0; i < SAMPLE; i++) sample[i] = a[off + (int) ((((i + 1) * 0x9E3779B9L) & 0xFFFFFFFFL) * n >>> 32)];
        Arrays.sort(sample);
        int centre = (int) ((long) k * SAMPLE / n);
        float[] piv = new float[PIVOTS];
        for (int j = 0; j < PIVOTS; j++) {
            int r = Math.clamp(centre - SPAN + (long) j * 2 * SPAN / (PIVOTS - 1), 0, SAMPLE - 1);
            piv[j] = sample[r];
            if (piv[j] != piv[j]) return -1;   // NaN pivot: counts would not be monotone
        }
        int chunks = par == null ? 1 : par.chunks(n, HIST_GRAIN);
        long[][] below = new long[chunks][];
        if (chunks == 1) below[0] = countBelow(a, off, off + n, piv);
        else par.run(n, HIST_GRAIN, (ch, lo, hi) -> below[ch] = countBelow(a, off + lo, off + hi, piv));
        long[] total = new long[PIVOTS];
        for (long[] c : below) for (int j = 0; j < PIVOTS; j++) total[j] += c[j];
        if (k < total[0]) return -1;
        int j = 0;
        while (j + 1 < PIVOTS && total[j + 1] <= k) j++;
        if (j == PIVOTS - 1) return -1;   // at or above the last pivot (or among NaNs)
        float lower = piv[j], upper = piv[j + 1];
        int count = (int) (total[j + 1] - total[j]), rank = (int) (k - total[j]);
        // Each chunk's share of the bracket is known from its counts; a chunk's slice has one vector of
        // slack because the gather stores whole (compressed) vectors.
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        int[] start = new int[chunks], share = new int[chunks];
        for (int ch = 0; ch < chunks; ch++) {
            share[ch] = (int) (below[ch][j + 1] - below[ch][j]);
            if (ch > 0) start[ch] = start[ch - 1] + share[ch - 1] + lanes;
        }
        float[] bracket = new float[count + chunks * lanes];
        if (chunks == 1) gatherBracket(a, off, off + n, lower, upper, bracket, 0);
        else {
            par.run(n, HIST_GRAIN, (ch, lo, hi) -> gatherBracket(a, off + lo, off + hi, lower, upper, bracket, start[ch]));
            for (int ch = 1, at = share[0]; ch < chunks; at += share[ch++]) System.arraycopy(bracket, start[ch], bracket, at, share[ch]);
        }
        return kthKey(bracket, count, rank);
    }

    /** The key of the rank-th smallest of b[0..count), which holds no NaN; b is not reordered. */
    private static long kthKey(float[] b, int count, int rank) {
        if (count > DIRECT_MAX) {
            long key = kthBySamplePivots(null, b, 0, count, rank);
            if (key >= 0) return key;
        }
        int[] keys = new int[count];
        for (int i = 0; i < count; i++) keys[i] = key(b[i]);
        return selectKeys(keys, rank) & 0xFFFFFFFFL;
    }

    /** The rank-th smallest of a bracket b[0..count) gathered by a sample-pivot pass (no NaN in it); b is not reordered. */
    static double kthOfBracket(float[] b, int count, int rank) { return unkey((int) kthKey(b, count, rank)); }

    /** As {@link #kthOfBracket(float[], int, int)} for doubles (the F64 twin's call): introselect on a copy. */
    static double kthOfBracket(double[] b, int count, int rank) { return select(Arrays.copyOf(b, count), 0, count - 1, rank); }

    /** Per pivot, how many elements of a[lo..hi) are below it (NaNs never are). */
    private static long[] countBelow(float[] a, int lo, int hi, float[] piv) {
        var s = FloatVector.SPECIES_PREFERRED;
        int lanes = s.length();
        FloatVector p0 = FloatVector.broadcast(s, piv[0]), p1 = FloatVector.broadcast(s, piv[1]), p2 = FloatVector.broadcast(s, piv[2]),
                p3 = FloatVector.broadcast(s, piv[3]), p4 = FloatVector.broadcast(s, piv[4]), p5 = FloatVector.broadcast(s, piv[5]),
                p6 = FloatVector.broadcast(s, piv[6]), p7 = FloatVector.broadcast(s, piv[7]);
        long[] out = new long[PIVOTS];
        // Float lane counters are exact below 2²⁴: flush them to longs every block.
        int block = lanes << 20;
        for (int b = lo; b < hi; b += block) {
            int end = (int) Math.min(hi, (long) b + block), i = b, upper = end - lanes;
            FloatVector z = FloatVector.zero(s), c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
            for (; i <= upper; i += lanes) {
                FloatVector v = FloatVector.fromArray(s, a, i);
                c0 = c0.add(ONE, v.compare(VectorOperators.LT, p0)); c1 = c1.add(ONE, v.compare(VectorOperators.LT, p1));
                c2 = c2.add(ONE, v.compare(VectorOperators.LT, p2)); c3 = c3.add(ONE, v.compare(VectorOperators.LT, p3));
                c4 = c4.add(ONE, v.compare(VectorOperators.LT, p4)); c5 = c5.add(ONE, v.compare(VectorOperators.LT, p5));
                c6 = c6.add(ONE, v.compare(VectorOperators.LT, p6)); c7 = c7.add(ONE, v.compare(VectorOperators.LT, p7));
            }
            // integer-valued lanes: the lane sum is exact in any order
            out[0] += (long) c0.reduceLanes(VectorOperators.ADD); out[1] += (long) c1.reduceLanes(VectorOperators.ADD);
            out[2] += (long) c2.reduceLanes(VectorOperators.ADD); out[3] += (long) c3.reduceLanes(VectorOperators.ADD);
            out[4] += (long) c4.reduceLanes(VectorOperators.ADD); out[5] += (long) c5.reduceLanes(VectorOperators.ADD);
            out[6] += (long) c6.reduceLanes(VectorOperators.ADD); out[7] += (long) c7.reduceLanes(VectorOperators.ADD);
            for (; i < end; i++) { float e = a[i]; for (int j = 0; j < PIVOTS; j++) if (e < piv[j]) out[j]++; }
        }
        return out;
    }

    /** Writes the elements of a[lo..hi) in [lower, upper) to out[at..] in index order, storing up to one vector past them. */
    private static void gatherBracket(float[] a, int lo, int hi, float lower, float upper, float[] out, int at) {
        var s = FloatVector.SPECIES_PREFERRED;
        int lanes = s.length(), i = lo;
        FloatVector pl = FloatVector.broadcast(s, lower), pu = FloatVector.broadcast(s, upper);
        for (int upperI = hi - lanes; i <= upperI; i += lanes) {
            FloatVector v = FloatVector.fromArray(s, a, i);
            VectorMask<Float> in = v.compare(VectorOperators.GE, pl).and(v.compare(VectorOperators.LT, pu));
            v.compress(in).intoArray(out, at);   // the slack past at is overwritten later or never read
            at += in.trueCount();
        }
        for (; i < hi; i++) { float e = a[i]; if (e >= lower && e < upper) out[at++] = e; }
    }

    /** The k-th smallest of keys (unsigned order), reordering keys: quickselect, sort past a budget. */
    private static int selectKeys(int[] a, int k) {
        int lo = 0, hi = a.length - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(a.length));
        while (hi > lo) {
            if (budget-- == 0) {
                for (int i = lo; i <= hi; i++) a[i] ^= 0x80000000;   // signed sort = unsigned order after the flip
                Arrays.sort(a, lo, hi + 1);
                return a[k] ^ 0x80000000;
            }
            int mid = (lo + hi) >>> 1;
            int x = a[lo], y = a[mid], z = a[hi];
            int p = Integer.compareUnsigned(x, y) < 0
                    ? (Integer.compareUnsigned(y, z) < 0 ? y : (Integer.compareUnsigned(x, z) < 0 ? z : x))
                    : (Integer.compareUnsigned(x, z) < 0 ? x : (Integer.compareUnsigned(y, z) < 0 ? z : y));
            int lt = lo, gt = hi, i = lo;
            while (i <= gt) {
                int e = a[i], c = Integer.compareUnsigned(e, p);
                if (c < 0) { a[i++] = a[lt]; a[lt++] = e; }
                else if (c > 0) { a[i] = a[gt]; a[gt--] = e; }
                else i++;
            }
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return p;
        }
        return a[k];
    }

    /**
     * The k-th smallest (NaNs sorted last; NaN when k is among them) of a[off..off+n) by a two-level
     * radix select on the keys: one histogram pass over the top 16 bits, one gather pass of the selected
     * bucket, then a histogram of its low 16 bits or a sort when it is small. The fallback of the
     * sample-pivot select.
     */
    private static double radixKth(Par par, float[] a, int off, int n, int k) {
        int chunks = par == null ? 1 : par.chunks(n, HIST_GRAIN);
        int[][] hs = new int[chunks][];
        if (chunks == 1) hs[0] = histTop(a, off, off + n);
        else par.run(n, HIST_GRAIN, (ch, lo, hi) -> hs[ch] = histTop(a, off + lo, off + hi));
        int[] hist = chunks == 1 ? hs[0] : new int[1 << 16];
        if (chunks > 1) for (int[] h : hs) for (int b = 0; b < hist.length; b++) hist[b] += h[b];
        int numbers = 0;
        for (int v : hist) numbers += v;
        if (k >= numbers) return Double.NaN;
        int bucket = 0, before = 0;
        while (before + hist[bucket] <= k) before += hist[bucket++];
        int rank = k - before, count = hist[bucket];
        int[] low = new int[count];
        if (chunks == 1) gather(a, off, off + n, bucket, low, 0);
        else {
            // Each chunk's share of the bucket is known from its own histogram: disjoint slices of low.
            int[] start = new int[chunks];
            for (int ch = 1; ch < chunks; ch++) start[ch] = start[ch - 1] + hs[ch - 1][bucket];
            int bk = bucket;
            par.run(n, HIST_GRAIN, (ch, lo, hi) -> gather(a, off + lo, off + hi, bk, low, start[ch]));
        }
        int lowBits;
        if (count <= 4096) { Arrays.sort(low); lowBits = low[rank]; }
        else {
            hist = new int[1 << 16];
            for (int v : low) hist[v]++;
            int b = 0, acc = 0;
            while (acc + hist[b] <= rank) acc += hist[b++];
            lowBits = b;
        }
        return unkey((bucket << 16) | lowBits);
    }

    /** Counts of the top 16 key bits of the non-NaN elements of a[lo..hi). */
    private static int[] histTop(float[] a, int lo, int hi) {
        int[] h = new int[1 << 16];
        for (int i = lo; i < hi; i++) {
            float e = a[i];
            if (e == e) h[key(e) >>> 16]++;
        }
        return h;
    }

    /** Writes the low 16 key bits of the elements of a[lo..hi) in the given top-16 bucket to low[at..]. */
    private static void gather(float[] a, int lo, int hi, int bucket, int[] low, int at) {
        for (int i = lo; i < hi; i++) {
            float e = a[i];
            if (e != e) continue;
            int kk = key(e);
            if (kk >>> 16 == bucket) low[at++] = kk & 0xFFFF;
        }
    }

    /** The float's bits mapped so that unsigned integer order is the total order of the (non-NaN) floats. */
    private static int key(float f) {
        int b = Float.floatToRawIntBits(f);
        return b ^ ((b >> 31) | 0x80000000);
    }

    private static float unkey(int k) { return Float.intBitsToFloat(k < 0 ? k ^ 0x80000000 : ~k); }

    /** The k-th smallest of a[lo..hi]: quickselect with a median-of-3 pivot and a 3-way partition. */
    private static double select(double[] a, int lo, int hi, int k) {
        // After 2·log2(n) rounds without enough progress, sort what is left: bounds the worst case.
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(hi - lo + 1));
        while (hi > lo) {
            if (budget-- == 0) { Arrays.sort(a, lo, hi + 1); return a[k]; }
            int mid = (lo + hi) >>> 1;
            double x = a[lo], y = a[mid], z = a[hi];
            double p = x < y ? (y < z ? y : Math.max(x, z)) : (x < z ? x : Math.max(y, z));
            int lt = lo, gt = hi, i = lo;
            while (i <= gt) {
                double e = a[i];
                if (e < p) { a[i++] = a[lt]; a[lt++] = e; }
                else if (e > p) { a[i] = a[gt]; a[gt--] = e; }
                else i++;
            }
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return p;
        }
        return a[k];
    }
}
