package sivi.diffusion;

import java.util.Arrays;

/**
 * Sampling time grids t_0 &lt; t_1 &lt; … &lt; t_{n−1} (in DDPM steps) for a chain of n levels, NFE = n − 1
 * (HSIVI reference code {@code torch_utils/diffusion.py}, docs/algorithms.md#ddim):
 * <ul>
 *   <li>quad: t_i = round((i·√800/(n−1))²), the chain starts at t = 800 (CIFAR-10/CelebA recipe);</li>
 *   <li>uniform: t_i = i·⌊T/n⌋ (ImageNet recipe {@code range(0, T, T//n)}, first n entries only).</li>
 * </ul>
 * Times are doubles so that continuous schedules (CoSIM) use the same type.
 */
public record TimeGrid(String kind, double[] t) {
    public TimeGrid {
        t = t.clone();
        for (int i = 1; i < t.length; i++) if (!(t[i] > t[i - 1])) throw new IllegalArgumentException("time grid must increase strictly: " + Arrays.toString(t));
    }

    public static TimeGrid quad(int n) { return quad(n, 800); }

    /** t_i = round((i·√tMax/(n−1))²). */
    public static TimeGrid quad(int n, double tMax) {
        if (n < 2) throw new IllegalArgumentException("a grid needs n >= 2 levels, got " + n);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = Math.round(Math.pow(i * Math.sqrt(tMax) / (n - 1), 2));
        return new TimeGrid("quad", t);
    }

    /** t_i = i·⌊T/n⌋, i = 0..n−1. */
    public static TimeGrid uniform(int n, int steps) {
        if (n < 2) throw new IllegalArgumentException("a grid needs n >= 2 levels, got " + n);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i * (steps / n);
        return new TimeGrid("uniform", t);
    }

    /**
     * t_i uniform in the half log-SNR λ between λ(0) and λ(tMax) (the "logSNR" spacing recommended by
     * DPM-Solver, Lu et al. 2022 §3.3), rounded to no digits: continuous times.
     */
    public static TimeGrid logSnr(NoiseSchedule sch, int n, double tMax) {
        if (n < 2) throw new IllegalArgumentException("a grid needs n >= 2 levels, got " + n);
        double l0 = sch.lambda(0), l1 = sch.lambda(tMax);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i == 0 ? 0 : i == n - 1 ? tMax : sch.timeOfLambda(l0 + (l1 - l0) * i / (n - 1));
        return new TimeGrid("logsnr", t);
    }

    /** "quad", "uniform" or "logsnr" (top 800) with NFE = n − 1. */
    public static TimeGrid parse(String kind, int nfe, NoiseSchedule sch) {
        return kind.equals("logsnr") ? logSnr(sch, nfe + 1, 800) : parse(kind, nfe, sch.steps());
    }

    /** "quad" or "uniform" with NFE = n − 1. */
    public static TimeGrid parse(String kind, int nfe, int steps) {
        return switch (kind) {
            case "quad" -> quad(nfe + 1);
            case "uniform" -> uniform(nfe + 1, steps);
            default -> throw new IllegalArgumentException("unknown time grid '" + kind + "' (accepted: quad, uniform)");
        };
    }

    public int levels() { return t.length; }

    public int nfe() { return t.length - 1; }

    public double at(int i) { return t[i]; }

    @Override public double[] t() { return t.clone(); }
}
