package sivi.mcmc;

import sivi.kernels.Rng;

/** An HMC-type sampler ({@link Nuts}, {@link Hmc}) run on several chains, from random or given initial points. */
public interface Sampler {
    /** Number of chains. */
    int chains();

    /** Samples from the given initial points, one row per chain, keeping the iterations {@code keep} says. */
    McmcResult sample(LogDensityGradient target, double[][] inits, Rng rng, Keep keep);

    /**
     * Samples from initial points drawn uniformly in [-2, 2]^d from {@code rng}, each redrawn while the
     * log density or its gradient is not finite there (up to 100 times, as Stan).
     */
    default McmcResult sample(LogDensityGradient target, Rng rng) { return sample(target, rng, Keep.DRAWS); }

    /** As {@link #sample(LogDensityGradient, Rng)}, keeping the iterations {@code keep} says (thinning, warm-up). */
    default McmcResult sample(LogDensityGradient target, Rng rng, Keep keep) {
        return sample(target, ChainRunner.uniformInits(target, chains(), rng), rng, keep);
    }

    /** Samples with the given initial points, one row per chain ({@code inits.length} must equal chains). */
    default McmcResult sample(LogDensityGradient target, double[][] inits, Rng rng) { return sample(target, inits, rng, Keep.DRAWS); }
}
