package sivi.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The k-nearest-neighbour estimator of KL(P || Q) of Wang, Kulkarni &amp; Verdú (2009), "Divergence
 * estimation for multidimensional densities via k-nearest-neighbor distances", IEEE Trans. Inf.
 * Theory 55(5), eq. (5) with k_i = l_i = k:
 * <pre>
 *   D(P || Q) ~ (d / n) sum_i log(nu_k(i) / rho_k(i)) + log(m / (n - 1))
 * </pre>
 * for X_1..X_n ~ P and Y_1..Y_m ~ Q in R^d, with rho_k(i) the Euclidean distance from X_i to its k-th
 * nearest neighbour among the other X's and nu_k(i) to its k-th nearest neighbour among the Y's.
 * With equal k the digamma bias corrections of their eq. (17) cancel. The estimator is
 * asymptotically unbiased and mean-square consistent for fixed k; its finite-n bias grows with the
 * curvature of the densities over the k-NN balls and its variance shrinks with k.
 * Default k = 1, the default of the ITE toolbox (Szabó 2014) and the form of the paper's eq. (5).
 * Neighbours are found by brute force, O((n + m) n d), in parallel over the rows of X.
 */
public final class KnnKl {
    private KnnKl() {}

    /** KL(P || Q) with k = 1; x ~ P (n x d), y ~ Q (m x d). */
    public static double divergence(double[][] x, double[][] y) { return divergence(x, y, 1); }

    /** KL(P || Q) with k neighbours; requires n &gt; k, m &gt;= k and no duplicate rows in x. */
    public static double divergence(double[][] x, double[][] y, int k) {
        double[] terms = terms(x, y, k);
        double s = 0;
        for (double t : terms) s += t;
        return s / x.length + Math.log((double) y.length / (x.length - 1));
    }

    /** KL(Q || P) from the same samples: the other direction, {@code divergence(y, x, k)}. */
    public static double reverse(double[][] x, double[][] y, int k) { return divergence(y, x, k); }

    /** The per-point terms d log(nu_k(i) / rho_k(i)). */
    static double[] terms(double[][] x, double[][] y, int k) {
        int d = Samples.dim(x, "x");
        if (Samples.dim(y, "y") != d) throw new IllegalArgumentException("x and y have different dimensions");
        if (k < 1 || x.length <= k || y.length < k)
            throw new IllegalArgumentException("need n > k and m >= k; n = " + x.length + ", m = " + y.length + ", k = " + k);
        double[] out = new double[x.length];
        IntStream.range(0, x.length).parallel().forEach(i -> {
            double rho = kthSquared(x[i], x, i, k), nu = kthSquared(x[i], y, -1, k);
            if (!(rho > 0)) throw new IllegalArgumentException("x has a duplicate of row " + i + ": the k-NN distance is 0");
            out[i] = 0.5 * d * Math.log(nu / rho); // squared distances: log(nu/rho) = log(nu^2/rho^2)/2
        });
        return out;
    }

    /** k-th smallest squared distance from p to the rows of s, skipping row {@code skip}. */
    private static double kthSquared(double[] p, double[][] s, int skip, int k) {
        double[] best = new double[k]; // sorted ascending
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int j = 0; j < s.length; j++) {
            if (j == skip) continue;
            double dd = Samples.sqDist(p, s[j]);
            if (dd < best[k - 1]) {
                int pos = k - 1;
                while (pos > 0 && best[pos - 1] > dd) { best[pos] = best[pos - 1]; pos--; }
                best[pos] = dd;
            }
        }
        return best[k - 1];
    }
}
