package sivi.metrics;

import java.util.Arrays;
import sivi.kernels.Rng;

/**
 * Sliced p-Wasserstein distances, p = 1 or 2 (Bonneel, Rabin, Peyré &amp; Pfister 2015):
 * <pre>  SW_p(P, Q)^p = E_theta W_p^p(theta#P, theta#Q),  theta uniform on the unit sphere,  </pre>
 * estimated with L directions theta = g / |g|, g ~ N(0, I) from the given {@link Rng}. Each 1-D
 * W_p^p between the empirical distributions of the projections is computed exactly as
 * int_0^1 |F^-1(u) - G^-1(u)|^p du over the merged breakpoints i/n and j/m of the two empirical
 * quantile functions, so unequal sample sizes are handled exactly (for n = m it is the mean p-th
 * power of the differences of the sorted projections).
 */
public final class SlicedWasserstein {
    private SlicedWasserstein() {}

    /** SW_2 (not squared) between rows of x and y, from {@code projections} random directions. */
    public static double distance(double[][] x, double[][] y, int projections, Rng rng) { return distance(x, y, projections, rng, 2); }

    /** SW_1 between rows of x and y, from {@code projections} random directions. */
    public static double distance1(double[][] x, double[][] y, int projections, Rng rng) { return distance(x, y, projections, rng, 1); }

    private static double distance(double[][] x, double[][] y, int projections, Rng rng, int p) {
        int d = Samples.dim(x, "x");
        if (Samples.dim(y, "y") != d) throw new IllegalArgumentException("x and y have different dimensions");
        if (projections < 1) throw new IllegalArgumentException("need at least one projection");
        double total = 0;
        double[] theta = new double[d], px = new double[x.length], py = new double[y.length];
        for (int l = 0; l < projections; l++) {
            double norm;
            do {
                rng.fillGaussian(theta, 0, d);
                norm = 0;
                for (double t : theta) norm += t * t;
            } while (norm == 0);
            norm = Math.sqrt(norm);
            for (int i = 0; i < x.length; i++) px[i] = dot(x[i], theta) / norm;
            for (int j = 0; j < y.length; j++) py[j] = dot(y[j], theta) / norm;
            total += p == 2 ? w2Squared(px, py) : w1(px, py);
        }
        return p == 2 ? Math.sqrt(total / projections) : total / projections;
    }

    /** Exact W_2^2 between the empirical distributions of a and b (arrays not modified). */
    public static double w2Squared(double[] a, double[] b) { return wPower(a, b, 2); }

    /** Exact W_1 between the empirical distributions of a and b (arrays not modified). */
    public static double w1(double[] a, double[] b) { return wPower(a, b, 1); }

    private static double wPower(double[] a, double[] b, int p) {
        double[] s = a.clone(), t = b.clone();
        Arrays.sort(s);
        Arrays.sort(t);
        long n = s.length, m = t.length;
        if (n == 0 || m == 0) throw new IllegalArgumentException("empty sample");
        double sum = 0, u = 0;
        int i = 0, j = 0;
        while (i < n && j < m) {
            // Next breakpoint: min((i+1)/n, (j+1)/m), compared in exact integer arithmetic.
            long lhs = (i + 1) * m, rhs = (j + 1) * n;
            double next = lhs <= rhs ? (double) (i + 1) / n : (double) (j + 1) / m;
            double diff = s[i] - t[j];
            sum += (next - u) * (p == 2 ? diff * diff : Math.abs(diff));
            u = next;
            if (lhs <= rhs) i++;
            if (rhs <= lhs) j++;
        }
        return sum;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
