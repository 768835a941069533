package sivi.diffusion;

/**
 * The DDPM forward process (Ho, Jain &amp; Abbeel 2020, eq. 4): q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I)
 * with ᾱ_t = Π_{s ≤ t} (1 − β_s), t = 0..T−1, and the linear schedule β_t from 1e-4 to 0.02 over
 * T = 1000 steps (Ho et al. §4; the schedule of the HSIVI CIFAR-10/CelebA teachers, docs/algorithms.md#ddpm).
 *
 * <p>Continuous time: for real t ∈ [0, T−1], log ᾱ is interpolated linearly between the integer
 * steps (the discrete-time wrapper of DPM-Solver, Lu et al. 2022, App. D). All samplers, the
 * Gaussian reference and CoSIM's continuous kernel use this one interpolation.
 */
public final class NoiseSchedule {
    private final double[] beta, logAlphaBar;

    private NoiseSchedule(double[] beta) {
        this.beta = beta;
        logAlphaBar = new double[beta.length];
        double s = 0;
        for (int t = 0; t < beta.length; t++) { s += Math.log1p(-beta[t]); logAlphaBar[t] = s; }
    }

    /** β_t = β_start + (β_end − β_start)·t/(T − 1), t = 0..T−1. */
    public static NoiseSchedule linear(double betaStart, double betaEnd, int steps) {
        if (steps < 2) throw new IllegalArgumentException("schedule needs at least 2 steps, got " + steps);
        double[] b = new double[steps];
        for (int t = 0; t < steps; t++) b[t] = betaStart + (betaEnd - betaStart) * t / (steps - 1);
        return new NoiseSchedule(b);
    }

    /** The DDPM default: linear 1e-4 … 0.02 over 1000 steps. */
    public static NoiseSchedule ddpm() { return linear(1e-4, 0.02, 1000); }

    public int steps() { return beta.length; }

    public double beta(int t) { return beta[t]; }

    /** ᾱ(t) for real t ∈ [0, T−1] (log-linear interpolation between integer steps). */
    public double alphaBar(double t) { return Math.exp(logAlphaBar(t)); }

    public double logAlphaBar(double t) {
        if (!(t >= 0 && t <= steps() - 1)) throw new IllegalArgumentException("time " + t + " outside [0, " + (steps() - 1) + "]");
        int i = (int) Math.floor(t);
        if (i >= steps() - 1) return logAlphaBar[steps() - 1];
        double w = t - i;
        return (1 - w) * logAlphaBar[i] + w * logAlphaBar[i + 1];
    }

    /** σ(t) = √(1 − ᾱ(t)), the noise level in HSIVI's notation. */
    public double sigma(double t) { return Math.sqrt(-Math.expm1(logAlphaBar(t))); }

    /** λ(t) = log(√ᾱ/σ), the half log-SNR of DPM-Solver (strictly decreasing in t). */
    public double lambda(double t) {
        double la = logAlphaBar(t);
        return 0.5 * la - 0.5 * Math.log(-Math.expm1(la));
    }

    /** The inverse of {@link #lambda} on [0, T−1] by bisection (λ is monotone; 100 halvings reach double precision). */
    public double timeOfLambda(double lam) {
        double lo = 0, hi = steps() - 1;
        for (int k = 0; k < 100; k++) {
            double mid = 0.5 * (lo + hi);
            if (lambda(mid) > lam) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
