package sivi.diffusion.eval;

import sivi.kernels.Rng;

/** k-NN estimate of KL(a ‖ b) of {@link sivi.metrics.KnnKl} on at most {@code maxPoints} random rows of each sample. */
public record KnnKl(int k, int maxPoints) implements SampleMetric {
    public KnnKl() { this(5, 1000); }

    @Override public double compute(double[][] a, double[][] b, Rng rng) {
        return sivi.metrics.KnnKl.divergence(Subsample.rows(a, maxPoints, rng), Subsample.rows(b, maxPoints, rng), k);
    }
}
