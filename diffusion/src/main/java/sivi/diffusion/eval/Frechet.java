package sivi.diffusion.eval;

/**
 * Fréchet distance between Gaussians fitted to two feature samples (Heusel et al. 2017, the FID
 * formula): ‖μ₁ − μ₂‖² + Tr(C₁ + C₂ − 2(C₁^{½} C₂ C₁^{½})^{½}), with matrix square roots of symmetric
 * positive semi-definite matrices by a cyclic Jacobi eigen-decomposition (negative round-off
 * eigenvalues clipped to 0).
 */
public final class Frechet {
    private Frechet() {}

    public static double distance(double[][] f1, double[][] f2) {
        int d = f1[0].length;
        double[] m1 = mean(f1), m2 = mean(f2);
        double[][] c1 = cov(f1, m1), c2 = cov(f2, m2);
        double[][] r1 = sqrtm(c1);
        double[][] inner = sqrtm(mul(mul(r1, c2), r1));
        double s = 0;
        for (int i = 0; i < d; i++) { double t = m1[i] - m2[i]; s += t * t + c1[i][i] + c2[i][i] - 2 * inner[i][i]; }
        return s;
    }

    static double[] mean(double[][] f) {
        double[] m = new double[f[0].length];
        for (double[] r : f) for (int j = 0; j < m.length; j++) m[j] += r[j] / f.length;
        return m;
    }

    static double[][] cov(double[][] f, double[] m) {
        int d = m.length;
        double[][] c = new double[d][d];
        for (double[] r : f) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] += (r[i] - m[i]) * (r[j] - m[j]) / (f.length - 1);
        return c;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) for (int j = 0; j < n; j++) c[i][j] += a[i][k] * b[k][j];
        return c;
    }

    /** Symmetric PSD square root V·diag(√max(λ,0))·Vᵀ (the input is symmetrised first). */
    public static double[][] sqrtm(double[][] s) {
        int n = s.length;
        double[][] a = new double[n][n], v = new double[n][n];
        for (int i = 0; i < n; i++) { v[i][i] = 1; for (int j = 0; j < n; j++) a[i][j] = 0.5 * (s[i][j] + s[j][i]); }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
            if (off < 1e-22) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), sn = t * c;
                    for (int k = 0; k < n; k++) { double akp = a[k][p], akq = a[k][q]; a[k][p] = c * akp - sn * akq; a[k][q] = sn * akp + c * akq; }
                    for (int k = 0; k < n; k++) { double apk = a[p][k], aqk = a[q][k]; a[p][k] = c * apk - sn * aqk; a[q][k] = sn * apk + c * aqk; }
                    for (int k = 0; k < n; k++) { double vkp = v[k][p], vkq = v[k][q]; v[k][p] = c * vkp - sn * vkq; v[k][q] = sn * vkp + c * vkq; }
                }
        }
        double[][] r = new double[n][n];
        for (int k = 0; k < n; k++) {
            double l = Math.sqrt(Math.max(0, a[k][k]));
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[i][j] += v[i][k] * l * v[j][k];
        }
        return r;
    }
}
