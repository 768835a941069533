package sivi.diffusion;

/**
 * Coefficients of one DDIM-type step from time t down to s &lt; t (Song, Meng &amp; Ermon 2021, eq. 12),
 * in HSIVI's notation (docs/algorithms.md#ddim), σ_u = √(1 − ᾱ_u):
 * <pre>
 *   x̂₀  = (x_t − σ_t ε̂)/√ᾱ_t
 *   x_s = √ᾱ_s x̂₀ + c2 ε̂ + c1 ξ,   c1 = κ·√((1 − ᾱ_t/ᾱ_s)·σ_s²/σ_t²),   c2 = √(σ_s² − c1²)
 * </pre>
 * κ is DDIM's η (κ = 0: deterministic DDIM; κ = 1: DDPM posterior variance). The HSIVI layer uses
 * c1 = √(η_H·(1 − ᾱ_t/ᾱ_s)·σ_s²/σ_t²) with η_H = 0.2, i.e. κ = √η_H ≈ 0.447 (see {@link #hsivi}).
 */
public record DdimStep(double t, double s, double sqrtAbarT, double sqrtAbarS, double sigmaT, double sigmaS, double c1, double c2) {

    public static DdimStep of(NoiseSchedule sch, double t, double s, double kappa) {
        if (!(s < t)) throw new IllegalArgumentException("a step must go down in time: " + t + " -> " + s);
        double abT = sch.alphaBar(t), abS = sch.alphaBar(s);
        double sT = sch.sigma(t), sS = sch.sigma(s);
        double c1 = kappa * Math.sqrt(Math.max(0, (1 - abT / abS) * sS * sS / (sT * sT)));
        double c2 = Math.sqrt(Math.max(0, sS * sS - c1 * c1));
        return new DdimStep(t, s, Math.sqrt(abT), Math.sqrt(abS), sT, sS, c1, c2);
    }

    /** The HSIVI conditional layer's coefficients: c1 = √(η·(1 − ᾱ_t/ᾱ_s)·σ_s²/σ_t²) (HSIVI code, η = 0.2). */
    public static DdimStep hsivi(NoiseSchedule sch, double t, double s, double eta) { return of(sch, t, s, Math.sqrt(eta)); }

    /** x̂₀ = (x − σ_t ε)/√ᾱ_t, elementwise on flat arrays. */
    public double[] x0(double[] x, double[] eps) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - sigmaT * eps[i]) / sqrtAbarT;
        return out;
    }

    /** The step's mean √ᾱ_s x̂₀ + c2 ε, elementwise. */
    public double[] mean(double[] x, double[] eps) {
        double[] x0 = x0(x, eps), out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = sqrtAbarS * x0[i] + c2 * eps[i];
        return out;
    }
}
