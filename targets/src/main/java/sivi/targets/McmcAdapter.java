package sivi.targets;

import sivi.mcmc.LogDensityGradient;

/**
 * Any {@link Target} as a {@link LogDensityGradient} for the samplers of {@code sivi.mcmc}: one
 * point at a time in float64 through {@link Target#logDensityAndScore} (a port's hand-written point
 * path where it has one, else log p without a tape and the score).
 */
public final class McmcAdapter implements LogDensityGradient {
    private final Target target;
    private final int d;

    private McmcAdapter(Target target) { this.target = target; this.d = target.dim(); }

    public static LogDensityGradient of(Target target) { return new McmcAdapter(target); }

    @Override public int dim() { return d; }

    /** {@link Target#logDensityAndScore}: NaN scores outside the support, which the samplers treat as a divergence. */
    @Override public double evaluate(double[] x, double[] gradOut) { return target.logDensityAndScore(x, gradOut); }
}
