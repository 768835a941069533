package sivi.kernels.simd;

import java.util.Arrays;

/** Order statistics by selection (introselect): O(n) expected, O(n log n) worst case. */
final class Select {
    private Select() {}

    /**
     * The lower median ((n−1)/2-th smallest) of a copy of v. NaNs count as larger than everything,
     * as in {@link Arrays#sort(double[])}; a zero median gets the sign the sort would give (−0.0
     * before 0.0), so the result is exactly the sorted oracle's.
     */
    static double lowerMedian(double[] v) {
        if (v.length == 0) throw new IllegalArgumentException("median of an empty tensor");
        int k = (v.length - 1) / 2, n = 0;
        for (double e : v) if (!Double.isNaN(e)) v[n++] = e;   // v is our own copy: compact the numbers
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
     * of a[off..off+n), without copying: a two-level radix select on the order-preserving integer
     * image of the float bits (one histogram pass over the top 16 bits, one gather pass of the
     * selected bucket, then a histogram of its low 16 bits or a sort when it is small). The result
     * is an element of a, exactly the oracle's (−0.0 sorts before 0.0, as in the sort).
     */
    static double lowerMedian(float[] a, int off, int n) { return lowerMedian(null, a, off, n); }

    /** Elements per chunk of the parallel histogram (each chunk clears its own 2¹⁶ counters). */
    private static final int HIST_GRAIN = 1 << 16;

    /**
     * As {@link #lowerMedian(float[], int, int)}, the histogram and gather passes split over par's
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
