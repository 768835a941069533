package sivi.kernels;

/**
 * Radial kernels written as functions of the squared distance D = ||x − y||² and a bandwidth h.
 * <ul>
 *   <li>RBF (Gaussian): k = exp(−D / (2h²))</li>
 *   <li>IMQ: k = (1 + D/h)^(−1/2)</li>
 * </ul>
 */
public enum StationaryKernel {
    RBF, IMQ;

    public double value(double dist2, double h) {
        return switch (this) {
            case RBF -> Math.exp(-dist2 / (2 * h * h));
            case IMQ -> 1.0 / Math.sqrt(1.0 + dist2 / h);
        };
    }

    /** ∂k/∂D given D, h and k = value(D, h). */
    public double dValueDDist(double dist2, double h, double k) {
        return switch (this) {
            case RBF -> -k / (2 * h * h);
            case IMQ -> -0.5 * k * k * k / h;
        };
    }

    /** ∂k/∂h given D, h and k = value(D, h). */
    public double dValueDBandwidth(double dist2, double h, double k) {
        return switch (this) {
            case RBF -> k * dist2 / (h * h * h);
            case IMQ -> 0.5 * k * k * k * dist2 / (h * h);
        };
    }

    public static StationaryKernel parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "rbf", "gaussian" -> RBF;
            case "imq" -> IMQ;
            default -> throw new IllegalArgumentException("unknown kernel '" + s + "' (accepted: gaussian, imq)");
        };
    }
}
