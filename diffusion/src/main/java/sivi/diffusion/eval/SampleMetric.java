package sivi.diffusion.eval;

import sivi.kernels.Rng;

/**
 * A discrepancy between two samples (rows are points), as the diffusion tables use it;
 * {@link Mmd}, {@link SlicedWasserstein} and {@link KnnKl} delegate to {@code sivi.metrics}.
 */
@FunctionalInterface
public interface SampleMetric {
    double compute(double[][] a, double[][] b, Rng rng);
}
