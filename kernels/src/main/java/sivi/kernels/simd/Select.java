package sivi.kernels.simd;

import java.util.Arrays;

/** Order statistics by selection (introselect): O(n) expected, O(n log n) worst case. */
final class Select {
    private Select() {}

    /**
     * The lower median ((n−1)/2-th smallest) of a copy of v. NaNs count as larger than everything,
     * as in {@link Arrays#sort(double[])}; −0.0 and 0.0 compare equal, so a zero median may differ
     * from the sorted oracle in its sign only.
     */
    static double lowerMedian(double[] v) {
        if (v.length == 0) throw new IllegalArgumentException("median of an empty tensor");
        int k = (v.length - 1) / 2, n = 0;
        for (double e : v) if (!Double.isNaN(e)) v[n++] = e;   // v is our own copy: compact the numbers
        return k >= n ? Double.NaN : select(v, 0, n - 1, k);
    }

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
