package sivi.kernels;

/**
 * Radial kernels written as functions of a pairwise distance D and a bandwidth h. Each kernel has
 * its own distance ({@link #distance()}): the squared Euclidean one D = ||x − y||² for RBF and IMQ,
 * the L1 one D = Σ_k |x_k − y_k| for Laplace (docs/algorithms.md#kernels).
 * <ul>
 *   <li>RBF (Gaussian): k = exp(−D / (2h²))</li>
 *   <li>IMQ: k = (1 + D/h)^(−1/2)</li>
 *   <li>Laplace: k = exp(−D / h) with D the L1 distance</li>
 * </ul>
 * All three have k = 1 at D = 0.
 */
public enum StationaryKernel {
    RBF, IMQ, LAPLACE;

    /** The pairwise distance a kernel is a function of. */
    public enum Distance { SQUARED_EUCLIDEAN, L1 }

    public Distance distance() { return this == LAPLACE ? Distance.L1 : Distance.SQUARED_EUCLIDEAN; }

    public double value(double dist, double h) {
        return switch (this) {
            case RBF -> Math.exp(-dist / (2 * h * h));
            case IMQ -> 1.0 / Math.sqrt(1.0 + dist / h);
            case LAPLACE -> Math.exp(-dist / h);
        };
    }

    /** ∂k/∂D given D, h and k = value(D, h). */
    public double dValueDDist(double dist, double h, double k) {
        return switch (this) {
            case RBF -> -k / (2 * h * h);
            case IMQ -> -0.5 * k * k * k / h;
            case LAPLACE -> -k / h;
        };
    }

    /** ∂k/∂h given D, h and k = value(D, h). */
    public double dValueDBandwidth(double dist, double h, double k) {
        return switch (this) {
            case RBF -> k * dist / (h * h * h);
            case IMQ -> 0.5 * k * k * k * dist / (h * h);
            case LAPLACE -> k * dist / (h * h);
        };
    }

    public static StationaryKernel parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "rbf", "gaussian" -> RBF;
            case "imq" -> IMQ;
            case "laplace" -> LAPLACE;
            default -> throw new IllegalArgumentException("unknown kernel '" + s + "' (accepted: gaussian, imq, laplace)");
        };
    }
}
