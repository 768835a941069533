package sivi.metrics;

import java.util.Arrays;

/** Shared helpers for sample sets stored as rows [n][d]. */
final class Samples {
    private Samples() {}

    static int dim(double[][] x, String what) {
        if (x.length == 0) throw new IllegalArgumentException(what + " is empty");
        int d = x[0].length;
        for (double[] r : x) if (r.length != d) throw new IllegalArgumentException(what + " has rows of unequal length");
        return d;
    }

    static double sqDist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) { double t = a[i] - b[i]; s += t * t; }
        return s;
    }

    /**
     * Median of the pairwise Euclidean distances of the pooled rows of x and y (the median heuristic,
     * Gretton et al. 2012 JMLR section 8). For more than 1000 pooled rows it uses every k-th row, a
     * deterministic subset of at most 1000 rows, to keep the cost O(10^6).
     */
    static double medianDistance(double[][] x, double[][] y) {
        int n = x.length + y.length, stride = Math.max(1, (n + 999) / 1000);
        double[][] p = new double[(n + stride - 1) / stride][];
        for (int k = 0, i = 0; i < n; i += stride) p[k++] = i < x.length ? x[i] : y[i - x.length];
        int m = p.length;
        if (m < 2) throw new IllegalArgumentException("median heuristic needs at least 2 points");
        double[] d = new double[m * (m - 1) / 2];
        for (int i = 0, k = 0; i < m; i++) for (int j = i + 1; j < m; j++) d[k++] = Math.sqrt(sqDist(p[i], p[j]));
        Arrays.sort(d);
        int h = d.length / 2;
        double med = d.length % 2 == 1 ? d[h] : 0.5 * (d[h - 1] + d[h]);
        if (!(med > 0)) throw new IllegalArgumentException("median pairwise distance is " + med + " (duplicate points?)");
        return med;
    }

    static double variance(double[] v) {
        double m = 0;
        for (double x : v) m += x;
        m /= v.length;
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return s / (v.length - 1);
    }
}
