package sivi.diffusion.eval;

import sivi.kernels.Rng;

/**
 * k-nearest-neighbour estimate of KL(a ‖ b) (Wang, Kulkarni &amp; Verdú 2009, eq. 5):
 * D̂ = (d/n) Σ_i log(ν_k(i)/ρ_k(i)) + log(m/(n − 1)), with ρ_k(i) the distance from a_i to its k-th
 * neighbour in a (excluding itself) and ν_k(i) to its k-th neighbour in b. At most maxPoints rows each.
 */
public record KnnKl(int k, int maxPoints) implements SampleMetric {
    public KnnKl() { this(5, 1000); }

    @Override public double compute(double[][] a0, double[][] b0, Rng rng) {
        double[][] a = Subsample.rows(a0, maxPoints, rng), b = Subsample.rows(b0, maxPoints, rng);
        int n = a.length, m = b.length, d = a[0].length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double rho = kth(a, a[i], i), nu = kth(b, a[i], -1);
            s += Math.log(Math.max(nu, 1e-12) / Math.max(rho, 1e-12));
        }
        return d * s / n + Math.log(m / (n - 1.0));
    }

    private double kth(double[][] pts, double[] x, int skip) {
        double[] best = new double[k];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int j = 0; j < pts.length; j++) {
            if (j == skip) continue;
            double dd = Mmd.sq(pts[j], x);
            if (dd < best[k - 1]) {
                int p = k - 1;
                while (p > 0 && best[p - 1] > dd) { best[p] = best[p - 1]; p--; }
                best[p] = dd;
            }
        }
        return Math.sqrt(best[k - 1]);
    }
}
