package sivi.mcmc;

/**
 * An unnormalised log density on R^d with its gradient, in float64 and without autodiff, so that
 * any target can be sampled through a small adapter.
 */
public interface LogDensityGradient {
    /** The dimension d. */
    int dim();

    /**
     * Returns log p(x) (up to a constant) and writes the score grad log p(x) into {@code gradOut}.
     * Reads x[0..d), writes gradOut[0..d); must not keep either array. May return
     * {@code Double.NEGATIVE_INFINITY} or NaN outside the support: the samplers treat that as a divergence.
     */
    double evaluate(double[] x, double[] gradOut);
}
