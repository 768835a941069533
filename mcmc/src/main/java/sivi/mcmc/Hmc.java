package sivi.mcmc;

import sivi.kernels.Rng;

/**
 * Static-trajectory Hamiltonian Monte Carlo (Neal 2011, "MCMC using Hamiltonian dynamics", Handbook
 * of MCMC ch. 5), as Stan's {@code static_hmc}: L = max(1, floor(T / eps)) leapfrog steps for an
 * integration time T, then a Metropolis test accepting with probability min(1, exp(H0 - H_L)).
 * A transition is divergent if H_L - H0 &gt; 1000. Warm-up as for {@link Nuts} (dual averaging to
 * {@code targetAccept}; Stan's windowed diagonal metric).
 *
 * <p>As implemented: docs/algorithms.md#hmc.
 *
 * @param integrationTime T = L * eps
 */
public record Hmc(int warmup, int draws, int chains, int threads, double integrationTime, double targetAccept) implements Sampler {

    public Hmc {
        if (warmup < 0 || draws < 1 || chains < 1 || threads < 1 || !(integrationTime > 0) || !(targetAccept > 0 && targetAccept < 1))
            throw new IllegalArgumentException("bad HMC settings");
    }

    /** Stan's static HMC defaults: T = 2 pi, delta = 0.8; 1000 + 1000 iterations, 4 chains. */
    public static Hmc defaults() { return new Hmc(1000, 1000, 4, 1, 2 * Math.PI, 0.8); }

    @Override
    public McmcResult sample(LogDensityGradient target, double[][] inits, Rng rng, Keep keep) {
        if (inits.length != chains) throw new IllegalArgumentException(inits.length + " initial points for " + chains + " chains");
        return ChainRunner.run(new Kernel(integrationTime), target, inits, rng, warmup, draws, threads, targetAccept, true, keep);
    }

    static final class Kernel implements Transition {
        private final double time;

        Kernel(double time) { this.time = time; }

        @Override
        public Stats step(LogDensityGradient target, PhasePoint z, double eps, double[] invMetric, Rng rng) {
            z.sampleMomentum(rng, invMetric);
            double h0 = z.hamiltonian(invMetric);
            int steps = (int) Math.max(1, Math.min(1e6, Math.floor(time / eps)));
            PhasePoint w = z.copy();
            for (int l = 0; l < steps; l++) w.leapfrog(target, eps, invMetric);
            double h = w.hamiltonian(invMetric);
            boolean divergent = h - h0 > MAX_ENERGY_ERROR;
            double accept = h0 - h > 0 ? 1 : Math.exp(h0 - h);
            boolean moved = rng.nextDouble() < accept;
            if (moved) z.copyFrom(w);
            return new Stats(accept, 0, steps, divergent, moved ? h : h0);
        }
    }
}
