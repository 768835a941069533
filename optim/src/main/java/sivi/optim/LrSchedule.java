package sivi.optim;

/** Learning rate as a function of the 0-based iteration. */
@FunctionalInterface
public interface LrSchedule {
    double lr(int iteration);

    static LrSchedule constant(double lr) { return it -> lr; }

    /** torch StepLR: lr·γ^⌊it/step⌋ (the SIVI-SM/KSIVI recipes use γ = 0.9). */
    static LrSchedule step(double lr, double gamma, int stepSize) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR step size must be positive: " + stepSize);
        return it -> lr * Math.pow(gamma, Math.floorDiv(it, stepSize));
    }

    /** Continuous exponential decay lr·γ^(it/period) (the SIVI 2018 recipes: 0.001·0.75^(t/100)). */
    static LrSchedule exponential(double lr, double gamma, double period) { return it -> lr * Math.pow(gamma, it / period); }

    /**
     * Robbins–Monro steps ρ_t = lr·(t + τ)^−κ with κ ∈ (0.5, 1] and τ &gt; 0, so that Σ ρ_t = ∞ and Σ ρ_t² &lt; ∞
     * (Robbins &amp; Monro 1951; this parametrisation: Hoffman, Blei, Wang &amp; Paisley 2013, eq. 26): SGD on
     * unbiased noisy gradients of a strongly convex objective then converges without a noise floor.
     */
    static LrSchedule robbinsMonro(double lr, double tau, double kappa) {
        if (!(kappa > 0.5 && kappa <= 1)) throw new IllegalArgumentException("Robbins–Monro κ must be in (0.5, 1], got " + kappa);
        if (!(tau > 0)) throw new IllegalArgumentException("Robbins–Monro τ must be positive, got " + tau);
        return it -> lr * Math.pow(it + tau, -kappa);
    }

    /** Linear warm-up: lr·(it + 1)/warmup for it &lt; warmup (so full lr at it = warmup − 1), then this schedule. */
    default LrSchedule withWarmup(int warmup) {
        LrSchedule base = this;
        return it -> warmup > 0 && it < warmup ? base.lr(it) * (it + 1) / warmup : base.lr(it);
    }
}
