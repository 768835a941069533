package sivi.diffusion.eval;

import sivi.kernels.Rng;

/**
 * A discrepancy between two samples (rows are points). Stand-in interface so that the diffusion
 * evaluation runs now; once the {@code sivi.metrics} package (targets module, branch mcmc) is
 * merged, {@link Mmd}, {@link SlicedWasserstein} and {@link KnnKl} should delegate to it.
 */
@FunctionalInterface
public interface SampleMetric {
    double compute(double[][] a, double[][] b, Rng rng);
}
