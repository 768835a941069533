package sivi.fit;

import sivi.kernels.Rng;
import sivi.tensor.Tensor;

/**
 * A session whose approximation q has an exact log-density (ADVI, full-rank, BBVI, flows): what importance
 * weights log p − log q and diagnostics such as PSIS-k̂ need. Semi-implicit sessions do not implement it.
 */
public interface DensitySession extends Session {
    /** n draws from q (evaluation parameters, no graph) and log q of each: x n×d, logQ n. */
    Draws sampleWithLogDensity(Rng rng, int n);

    record Draws(Tensor x, Tensor logQ) {}
}
