package sivi.diffusion.eval;

import sivi.kernels.Rng;

/**
 * Squared maximum mean discrepancy with the RBF kernel k(x, y) = exp(−‖x − y‖²/(2h²)) (Gretton et al.
 * 2012, eq. 3, the unbiased U-statistic MMD²_u), bandwidth by the median heuristic: h² = median of
 * the pairwise squared distances of the pooled sample / 2. At most {@code maxPoints} rows of each
 * sample are used (a random subset), as the cost is quadratic.
 */
public record Mmd(int maxPoints) implements SampleMetric {
    public Mmd() { this(1000); }

    @Override public double compute(double[][] a, double[][] b, Rng rng) {
        double[][] x = Subsample.rows(a, maxPoints, rng), y = Subsample.rows(b, maxPoints, rng);
        int n = x.length, m = y.length;
        double[][] pool = new double[n + m][];
        System.arraycopy(x, 0, pool, 0, n);
        System.arraycopy(y, 0, pool, n, m);
        double[] d2 = new double[Math.min(200_000, (n + m) * (n + m - 1) / 2)];
        int c = 0;
        outer:
        for (int i = 0; i < pool.length; i++)
            for (int j = i + 1; j < pool.length; j++) { if (c == d2.length) break outer; d2[c++] = sq(pool[i], pool[j]); }
        java.util.Arrays.sort(d2, 0, c);
        double h2 = Math.max(1e-12, d2[c / 2] / 2);
        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) kxx += Math.exp(-sq(x[i], x[j]) / (2 * h2));
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) if (i != j) kyy += Math.exp(-sq(y[i], y[j]) / (2 * h2));
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) kxy += Math.exp(-sq(x[i], y[j]) / (2 * h2));
        return kxx / ((double) n * (n - 1)) + kyy / ((double) m * (m - 1)) - 2 * kxy / ((double) n * m);
    }

    static double sq(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) { double t = u[k] - v[k]; s += t * t; }
        return s;
    }
}
