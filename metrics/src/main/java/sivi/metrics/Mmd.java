package sivi.metrics;

/**
 * Squared maximum mean discrepancy with the Gaussian RBF kernel k(a, b) = exp(-|a - b|^2 / (2 l^2))
 * (Gretton, Borgwardt, Rasch, Schölkopf &amp; Smola 2012, JMLR 13, "A kernel two-sample test"):
 * the unbiased U-statistic MMD^2_u of their eq. (3), with the standard error of {@link TwoSampleU}
 * (first-order Hoeffding projection plus a conservative second-order term). The default bandwidth
 * l is the median pairwise distance of the pooled sample (their section 8).
 *
 * @param mmd2          the unbiased estimate of MMD^2 (can be slightly negative when P = Q)
 * @param standardError its estimated standard error
 * @param bandwidth     the length scale l used
 */
public record Mmd(double mmd2, double standardError, double bandwidth) {

    /** MMD^2 between rows of x ~ P (n x d) and y ~ Q (m x d), median-heuristic bandwidth. */
    public static Mmd rbf(double[][] x, double[][] y) { return rbf(x, y, Samples.medianDistance(x, y)); }

    public static Mmd rbf(double[][] x, double[][] y, double bandwidth) {
        if (!(bandwidth > 0)) throw new IllegalArgumentException("bandwidth must be positive: " + bandwidth);
        double c = -0.5 / (bandwidth * bandwidth);
        TwoSampleU.Result r = TwoSampleU.estimate(x, y, (a, b) -> Math.exp(c * Samples.sqDist(a, b)));
        return new Mmd(r.value(), r.standardError(), bandwidth);
    }
}
