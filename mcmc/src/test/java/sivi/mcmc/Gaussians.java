package sivi.mcmc;

/** Test targets with exact moments. */
final class Gaussians {
    private Gaussians() {}

    /** N(0, Sigma), Sigma_ij = s_i s_j phi^|i-j| (AR(1) correlation), via its exact tridiagonal precision. */
    static LogDensityGradient ar1(double[] scales, double phi) {
        int d = scales.length;
        return new LogDensityGradient() {
            public int dim() { return d; }
            public double evaluate(double[] x, double[] g) {
                // R^-1 = tridiag(-phi; 1, 1+phi^2, ..., 1+phi^2, 1; -phi) / (1 - phi^2).
                double[] u = new double[d];
                for (int i = 0; i < d; i++) u[i] = x[i] / scales[i];
                double c = 1 / (1 - phi * phi), lp = 0;
                for (int i = 0; i < d; i++) {
                    double diag = (i == 0 || i == d - 1) ? 1 : 1 + phi * phi;
                    double ru = diag * u[i];
                    if (i > 0) ru -= phi * u[i - 1];
                    if (i < d - 1) ru -= phi * u[i + 1];
                    ru *= c;
                    lp -= 0.5 * u[i] * ru;
                    g[i] = -ru / scales[i];
                }
                return lp;
            }
        };
    }

    static double[] logSpacedScales(int d, double lo, double hi) {
        double[] s = new double[d];
        for (int i = 0; i < d; i++) s[i] = lo * Math.pow(hi / lo, i / (d - 1.0));
        return s;
    }

    /** Standard normal in d dimensions. */
    static LogDensityGradient standard(int d) {
        return new LogDensityGradient() {
            public int dim() { return d; }
            public double evaluate(double[] x, double[] g) {
                double lp = 0;
                for (int i = 0; i < d; i++) { lp -= 0.5 * x[i] * x[i]; g[i] = -x[i]; }
                return lp;
            }
        };
    }
}
