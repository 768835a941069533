package sivi.diffusion.eval;

import sivi.kernels.Rng;

/**
 * Squared MMD (RBF, median-heuristic bandwidth, unbiased U-statistic) of {@link sivi.metrics.Mmd} on
 * at most {@code maxPoints} random rows of each sample (the cost is quadratic).
 */
public record Mmd(int maxPoints) implements SampleMetric {
    public Mmd() { this(1000); }

    @Override public double compute(double[][] a, double[][] b, Rng rng) {
        return sivi.metrics.Mmd.rbf(Subsample.rows(a, maxPoints, rng), Subsample.rows(b, maxPoints, rng)).mmd2();
    }
}
