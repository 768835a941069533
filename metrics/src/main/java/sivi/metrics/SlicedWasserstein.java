package sivi.metrics;

import java.util.Arrays;
import sivi.kernels.Rng;

/**
 * Sliced 2-Wasserstein distance (Bonneel, Rabin, Peyré &amp; Pfister 2015):
 * <pre>  SW_2(P, Q)^2 = E_theta W_2^2(theta#P, theta#Q),  theta uniform on the unit sphere,  </pre>
 * estimated with L directions theta = g / |g|, g ~ N(0, I) from the given {@link Rng}. Each 1-D
 * W_2^2 between the empirical distributions of the projections is computed exactly as
 * int_0^1 (F^-1(u) - G^-1(u))^2 du over the merged breakpoints i/n and j/m of the two empirical
 * quantile functions, so unequal sample sizes are handled exactly (for n = m it is the mean squared
 * difference of the sorted projections).
 */
public final class SlicedWasserstein {
    private SlicedWasserstein() {}

    /** SW_2 (not squared) between rows of x and y, from {@code projections} random directions. */
    public static double distance(double[][] x, double[][] y, int projections, Rng rng) {
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
            total += w2Squared(px, py);
        }
        return Math.sqrt(total / projections);
    }

    /** Exact W_2^2 between the empirical distributions of a and b (arrays not modified). */
    public static double w2Squared(double[] a, double[] b) {
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
            sum += (next - u) * diff * diff;
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
