package sivi.metrics;

import java.util.stream.IntStream;

/**
 * The unbiased two-sample statistic for a symmetric kernel k (Gretton et al. 2012, JMLR 13, eq. 3):
 * <pre>
 *   U = 1/(n(n-1)) sum_{i != j} k(x_i, x_j) + 1/(m(m-1)) sum_{i != j} k(y_i, y_j) - 2/(nm) sum_{i,j} k(x_i, y_j)
 * </pre>
 * and its standard error from the Hoeffding decomposition of a two-sample U-statistic:
 * <pre>
 *   SE^2 = var(f)/n + var(g)/m + 2 var(k_xx)/(n(n-1)) + 2 var(k_yy)/(m(m-1)) + 4 var(k_xy)/(nm),
 *   f_i = 2 (mean_{j != i} k(x_i, x_j) - mean_j k(x_i, y_j)),  g_j likewise for y_j,
 * </pre>
 * the first-order (projection) terms plus the second-order terms with the raw kernel variances in
 * place of the variances of the doubly centred kernel, which are no larger. So the SE is accurate
 * when P != Q (first order dominates) and conservative when P = Q, where the statistic is degenerate
 * and only the second-order terms are non-zero. Rows are computed in parallel, sums in a fixed order,
 * so results do not depend on the thread count.
 */
final class TwoSampleU {
    private TwoSampleU() {}

    interface PairKernel { double k(double[] a, double[] b); }

    record Result(double value, double standardError) {}

    static Result estimate(double[][] x, double[][] y, PairKernel kernel) {
        int d = Samples.dim(x, "x");
        if (Samples.dim(y, "y") != d) throw new IllegalArgumentException("x and y have different dimensions");
        int n = x.length, m = y.length;
        if (n < 2 || m < 2) throw new IllegalArgumentException("need at least 2 rows in each sample");
        double[][] xx = within(x, kernel), yy = within(y, kernel), xy = across(x, y, kernel), yx = across(y, x, kernel);
        double sxx = 0, qxx = 0, syy = 0, qyy = 0, sxy = 0, qxy = 0;
        for (double[] r : xx) { sxx += r[0]; qxx += r[1]; }
        for (double[] r : yy) { syy += r[0]; qyy += r[1]; }
        for (double[] r : xy) { sxy += r[0]; qxy += r[1]; }
        double nxx = (double) n * (n - 1), nyy = (double) m * (m - 1), nxy = (double) n * m;
        double mxx = sxx / nxx, myy = syy / nyy, mxy = sxy / nxy;
        double value = mxx + myy - 2 * mxy;
        double vxx = qxx / nxx - mxx * mxx, vyy = qyy / nyy - myy * myy, vxy = qxy / nxy - mxy * mxy;
        double[] f = new double[n], g = new double[m];
        for (int i = 0; i < n; i++) f[i] = 2 * (xx[i][0] / (n - 1) - xy[i][0] / m);
        for (int j = 0; j < m; j++) g[j] = 2 * (yy[j][0] / (m - 1) - yx[j][0] / n);
        double se2 = Samples.variance(f) / n + Samples.variance(g) / m
                + 2 * vxx / nxx + 2 * vyy / nyy + 4 * vxy / nxy;
        return new Result(value, Math.sqrt(Math.max(0, se2)));
    }

    /** Per row i: {sum_{j != i} k(a_i, a_j), sum_{j != i} k^2}. */
    private static double[][] within(double[][] a, PairKernel kernel) {
        double[][] out = new double[a.length][2];
        IntStream.range(0, a.length).parallel().forEach(i -> {
            double s = 0, q = 0;
            for (int j = 0; j < a.length; j++) {
                if (j == i) continue;
                double k = kernel.k(a[i], a[j]);
                s += k; q += k * k;
            }
            out[i][0] = s; out[i][1] = q;
        });
        return out;
    }

    /** Per row i of a: {sum_j k(a_i, b_j), sum_j k^2}. */
    private static double[][] across(double[][] a, double[][] b, PairKernel kernel) {
        double[][] out = new double[a.length][2];
        IntStream.range(0, a.length).parallel().forEach(i -> {
            double s = 0, q = 0;
            for (double[] bj : b) { double k = kernel.k(a[i], bj); s += k; q += k * k; }
            out[i][0] = s; out[i][1] = q;
        });
        return out;
    }
}
