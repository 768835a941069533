package sivi.diffusion.eval;

import java.util.Arrays;
import sivi.kernels.Rng;

/**
 * Sliced 2-Wasserstein distance (Rabin et al. 2011; Bonneel et al. 2015):
 * SW₂ = ( mean over L random unit directions θ of W₂²(θᵀa, θᵀb) )^{1/2}, each 1-D W₂² from sorted
 * projections matched at the quantile levels (i + ½)/K, K = max(n, m), by the empirical quantile functions.
 */
public record SlicedWasserstein(int projections) implements SampleMetric {
    public SlicedWasserstein() { this(200); }

    @Override public double compute(double[][] a, double[][] b, Rng rng) {
        int d = a[0].length, k = Math.max(a.length, b.length);
        double total = 0;
        for (int l = 0; l < projections; l++) {
            double[] th = new double[d];
            double nrm = 0;
            for (int j = 0; j < d; j++) { th[j] = rng.nextGaussian(); nrm += th[j] * th[j]; }
            nrm = Math.sqrt(nrm);
            double[] pa = project(a, th, nrm), pb = project(b, th, nrm);
            double w = 0;
            for (int i = 0; i < k; i++) {
                double q = (i + 0.5) / k;
                double diff = pa[(int) (q * pa.length)] - pb[(int) (q * pb.length)];
                w += diff * diff;
            }
            total += w / k;
        }
        return Math.sqrt(total / projections);
    }

    private static double[] project(double[][] x, double[] th, double nrm) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) { double s = 0; for (int j = 0; j < th.length; j++) s += x[i][j] * th[j]; p[i] = s / nrm; }
        Arrays.sort(p);
        return p;
    }
}
