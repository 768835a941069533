package sivi.posteriordb;

/**
 * Scalar log densities and their derivatives in y, for the ports' hand-written point models
 * ({@link StanModel#pointModel}); the same formulas and constants as the autodiff versions in
 * {@link StanMath}, which are their oracle in the tests.
 */
final class PointMath {
    private PointMath() {}

    static double normal(double y, double mu, double sigma) {
        double z = (y - mu) / sigma;
        return -0.5 * z * z - Math.log(sigma) - StanMath.HALF_LOG_2PI;
    }

    /** ∂/∂y log N(y | mu, sigma) (= −∂/∂mu). */
    static double normalDy(double y, double mu, double sigma) { return -(y - mu) / (sigma * sigma); }

    /** ∂/∂sigma log N(y | mu, sigma). */
    static double normalDsigma(double y, double mu, double sigma) {
        double z = (y - mu) / sigma;
        return (z * z - 1) / sigma;
    }

    static double cauchy(double y, double mu, double sigma) {
        double z = (y - mu) / sigma;
        return -Math.log1p(z * z) - Math.log(Math.PI * sigma);
    }

    static double cauchyDy(double y, double mu, double sigma) {
        double z = (y - mu) / sigma;
        return -2 * z / (sigma * (1 + z * z));
    }

    static double studentT(double y, double nu, double mu, double sigma) {
        double z = (y - mu) / sigma;
        return StanMath.lgamma((nu + 1) / 2) - StanMath.lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(sigma)
                - (nu + 1) / 2 * Math.log1p(z * z / nu);
    }

    static double studentTDy(double y, double nu, double mu, double sigma) {
        double r = y - mu;
        return -(nu + 1) * r / (nu * sigma * sigma + r * r);
    }

    /** log(e^a + e^b), shifted by the larger. */
    static double logSumExp(double a, double b) {
        double m = Math.max(a, b);
        if (m == Double.NEGATIVE_INFINITY) return m;
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }
}
