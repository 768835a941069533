package sivi.diffusion.eval;

import sivi.kernels.Rng;

/** Sliced 2-Wasserstein distance (not squared) of {@link sivi.metrics.SlicedWasserstein}. */
public record SlicedWasserstein(int projections) implements SampleMetric {
    public SlicedWasserstein() { this(200); }

    @Override public double compute(double[][] a, double[][] b, Rng rng) {
        return sivi.metrics.SlicedWasserstein.distance(a, b, projections, rng);
    }
}
