package sivi.diffusion;

import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Conversions between row arrays (n×d) and tensors. */
public final class Arrays2 {
    private Arrays2() {}

    public static Tensor toTensor(double[][] rows, DType dt) {
        int n = rows.length, d = n == 0 ? 0 : rows[0].length;
        double[] v = new double[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, v, i * d, d);
        return Tensor.of(dt, v, n, d);
    }

    public static double[][] rows(Tensor t) {
        int n = t.dim(0), d = t.dim(1);
        double[] v = t.toDoubleArray();
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(v, i * d, out[i], 0, d);
        return out;
    }
}
