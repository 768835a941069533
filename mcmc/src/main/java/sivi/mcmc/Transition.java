package sivi.mcmc;

import sivi.kernels.Rng;

/** One Markov transition of an HMC-type sampler, updating {@code state} in place. */
interface Transition {
    /** Moves {@code state} (position, log density, score; momentum is scratch) and reports statistics. */
    Stats step(LogDensityGradient target, PhasePoint state, double eps, double[] invMetric, Rng rng);

    /**
     * acceptStat in [0, 1] is what dual averaging targets; energy is the Hamiltonian at the state the
     * transition returns, with the momentum it was reached with (Stan's energy__, for the E-BFMI).
     */
    record Stats(double acceptStat, int treeDepth, int leapfrogs, boolean divergent, double energy) {}

    /** Energy error above which a trajectory is called divergent (Stan's max_deltaH). */
    double MAX_ENERGY_ERROR = 1000;
}
