package sivi.kernels.fused.relunet;

import sivi.kernels.Checks;
import sivi.tensor.Tensor;

/**
 * {@link sivi.kernels.Backend#reluNetGradient}: the oracle, one draw and one row at a time, all arithmetic in double,
 * one rounding to the output dtype at the end; never optimised.
 *
 * <p>Per draw θ = (W1, b1, w2, b2) and row i: a_i = x_i W1 + b1, m_i = 1[a_i &gt; 0], h_i = m_i ⊙ a_i,
 * f_i = h_i·w2 + b2 and g_i = c(y_i − f_i). Gradient: w2 Σ_i g_i h_i, b2 Σ_i g_i, and with δ_i = g_i (m_i ⊙ w2),
 * b1 Σ_i δ_i, W1 Σ_i x_iᵀ δ_i. Along v = (V1, vb1, v2, vb2), with relu'' = 0: ȧ_i = x_i V1 + vb1, ḣ_i = m_i ⊙ ȧ_i,
 * ḟ_i = ḣ_i·w2 + h_i·v2 + vb2, ġ_i = −c ḟ_i; the Hessian times v is Σ_i (ġ_i h_i + g_i ḣ_i) for w2, Σ_i ġ_i for b2,
 * and δ̇_i = m_i ⊙ (ġ_i w2 + g_i v2) summed (b1) and through x_iᵀ (W1).
 */
public final class ReluNetRef {
    private ReluNetRef() {}

    public static Tensor gradient(Tensor x, Tensor y, Tensor theta, Tensor v, int hidden, double c) {
        int dh = Checks.reluNet("reluNetGradient", x, y, theta, v, hidden);
        int rows = x.dim(0), d = x.dim(1), h = hidden, n = theta.dim(0), dim = theta.dim(1);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray(), th = theta.toDoubleArray(), dv = v == null ? null : v.toDoubleArray();
        double[] out = new double[n * dim];
        double[] a = new double[h], da = new double[h];
        for (int s = 0; s < n; s++) {
            int o = s * dim, b1 = o + dh, w2 = b1 + h, b2 = o + dim - 1;
            for (int i = 0; i < rows; i++) {
                double f = th[b2], df = dv == null ? 0 : dv[b2];
                for (int j = 0; j < h; j++) {
                    double pre = th[b1 + j], dpre = dv == null ? 0 : dv[b1 + j];
                    for (int k = 0; k < d; k++) {
                        pre += xv[i * d + k] * th[o + k * h + j];
                        if (dv != null) dpre += xv[i * d + k] * dv[o + k * h + j];
                    }
                    a[j] = pre > 0 ? pre : 0;   // as Unary.RELU: a NaN pre-activation is an inactive unit
                    da[j] = pre > 0 ? dpre : 0;
                    f += a[j] * th[w2 + j];
                    if (dv != null) df += da[j] * th[w2 + j] + a[j] * dv[w2 + j];
                }
                double g = c * (yv[i] - f);
                if (dv == null) {
                    out[b2] += g;
                    for (int j = 0; j < h; j++) {
                        out[w2 + j] += g * a[j];
                        double delta = a[j] > 0 ? g * th[w2 + j] : 0;
                        out[b1 + j] += delta;
                        for (int k = 0; k < d; k++) out[o + k * h + j] += xv[i * d + k] * delta;
                    }
                } else {
                    double dg = -c * df;
                    out[b2] += dg;
                    for (int j = 0; j < h; j++) {
                        out[w2 + j] += dg * a[j] + g * da[j];
                        double delta = a[j] > 0 ? dg * th[w2 + j] + g * dv[w2 + j] : 0;
                        out[b1 + j] += delta;
                        for (int k = 0; k < d; k++) out[o + k * h + j] += xv[i * d + k] * delta;
                    }
                }
            }
        }
        return Tensor.of(theta.dtype(), out, n, dim);
    }
}
