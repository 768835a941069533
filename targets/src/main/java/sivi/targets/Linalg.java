package sivi.targets;

/** Small dense linear algebra on row-major double[] (d ≤ a few thousand). */
public final class Linalg {
    private Linalg() {}

    /** Lower Cholesky factor L with A = L Lᵀ; throws if A is not positive definite. */
    public static double[] cholesky(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + " = " + s + ")");
                    l[i * d + i] = Math.sqrt(s);
                } else l[i * d + j] = s / l[j * d + j];
            }
        return l;
    }

    /** A⁻¹ from the Cholesky factor of A. */
    public static double[] inverseFromCholesky(double[] l, int d) {
        double[] inv = new double[d * d];
        double[] col = new double[d];
        for (int c = 0; c < d; c++) {
            java.util.Arrays.fill(col, 0);
            col[c] = 1;
            // solve L y = e_c, then Lᵀ x = y
            for (int i = 0; i < d; i++) {
                double s = col[i];
                for (int k = 0; k < i; k++) s -= l[i * d + k] * col[k];
                col[i] = s / l[i * d + i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double s = col[i];
                for (int k = i + 1; k < d; k++) s -= l[k * d + i] * col[k];
                col[i] = s / l[i * d + i];
            }
            for (int r = 0; r < d; r++) inv[r * d + c] = col[r];
        }
        return inv;
    }
}
