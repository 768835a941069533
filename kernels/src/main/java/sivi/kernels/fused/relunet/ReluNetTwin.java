package sivi.kernels.fused.relunet;

import sivi.kernels.Activation;
import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Checks;
import sivi.kernels.Reduce;
import sivi.kernels.Unary;
import sivi.tensor.Tensor;

/**
 * {@link Backend#reluNetGradient} composed of the backend's ops (the formulas are in {@link ReluNetRef}): the N draws'
 * first layers side by side (d × N·H), so the hidden layer of every draw is one dense op (B × N·H), the output layer a
 * product and a sum over each draw's H columns, and the first layer's gradient one dense backward; B × N·H temporaries.
 */
public final class ReluNetTwin {
    private ReluNetTwin() {}

    public static Tensor gradient(Backend be, Tensor x, Tensor y, Tensor theta, Tensor v, int hidden, double c) {
        int dh = Checks.reluNet("reluNetGradient", x, y, theta, v, hidden);
        int rows = x.dim(0), h = hidden, n = theta.dim(0);
        Tensor[] p = layers(theta, x.dim(1), h);                         // W1 d × N·H, b1, w2 1 × N·H, b2 1 × N
        Tensor hid = be.dense(Activation.RELU, x, p[0], p[1]);            // B × N·H
        Tensor f = be.binary(Binary.ADD, perDraw(be, be.binary(Binary.MUL, hid, p[2]), rows, n, h), p[3]);
        Tensor g = be.affine(be.binary(Binary.SUB, y.reshape(rows, 1), f), c, 0);        // B × N
        Tensor g3 = g.reshape(rows, n, 1), hid3 = hid.reshape(rows, n, h), w23 = p[2].reshape(1, n, h);
        Tensor on = be.unary(Unary.STEP, hid), zero = Tensor.zeros(x.dtype(), 1, 1);   // 1[a > 0] (h > 0 iff a > 0)
        Tensor gw2, gb2, gy;
        if (v == null) {
            gw2 = be.reduce(Reduce.SUM, be.binary(Binary.MUL, hid3, g3), 0, false);
            gb2 = be.reduce(Reduce.SUM, g, 0, false);
            gy = be.binary(Binary.MUL, g3, w23);
        } else {
            Tensor[] q = layers(v, x.dim(1), h);
            Tensor dhid = be.where(on, be.dense(Activation.IDENTITY, x, q[0], q[1]), zero);   // ḣ
            Tensor t = be.binary(Binary.ADD, be.binary(Binary.MUL, dhid, p[2]), be.binary(Binary.MUL, hid, q[2]));
            Tensor dg = be.affine(be.binary(Binary.ADD, perDraw(be, t, rows, n, h), q[3]), -c, 0);                        // ġ
            Tensor dg3 = dg.reshape(rows, n, 1);
            gw2 = be.reduce(Reduce.SUM, be.binary(Binary.ADD, be.binary(Binary.MUL, hid3, dg3), be.binary(Binary.MUL, dhid.reshape(rows, n, h), g3)), 0, false);
            gb2 = be.reduce(Reduce.SUM, dg, 0, false);
            gy = be.binary(Binary.ADD, be.binary(Binary.MUL, dg3, w23), be.binary(Binary.MUL, g3, q[2].reshape(1, n, h)));
        }
        // δ where the unit is on, else 0 (selected, not multiplied by the mask: a NaN output weight of an inactive unit
        // stays out, as in the oracle); the dense backward's own mask then multiplies by 1 or 0
        Tensor[] first = be.denseBackward(Activation.RELU, x, p[0], p[1], hid, be.where(on, gy.reshape(rows, n * h), zero), false, true);
        // back to one row per draw: W1 (d, N, H) → (N, d·H), then b1, w2, b2
        Tensor w1 = first[1].reshape(x.dim(1), n, h).permute(1, 0, 2).reshape(n, dh);
        double[] out = new double[n * theta.dim(1)];
        double[] a = w1.toDoubleArray(), b1 = first[2].toDoubleArray(), w2 = gw2.toDoubleArray(), b2 = gb2.toDoubleArray();
        int dim = theta.dim(1);
        for (int s = 0; s < n; s++) {
            System.arraycopy(a, s * dh, out, s * dim, dh);
            System.arraycopy(b1, s * h, out, s * dim + dh, h);
            System.arraycopy(w2, s * h, out, s * dim + dh + h, h);
            out[s * dim + dim - 1] = b2[s];
        }
        return Tensor.of(theta.dtype(), out, n, dim);
    }

    /** Σ_j over each draw's H columns of a B × N·H array: B × N. */
    private static Tensor perDraw(Backend be, Tensor t, int rows, int n, int h) {
        return be.reduce(Reduce.SUM, t.reshape(rows, n, h), 2, false);
    }

    /** The draws' layers side by side: {W1 d × N·H, b1 1 × N·H, w2 1 × N·H, b2 1 × N}. */
    private static Tensor[] layers(Tensor p, int d, int h) {
        int n = p.dim(0), dh = d * h, dim = p.dim(1);
        return new Tensor[] {p.slice(1, 0, dh).reshape(n, d, h).permute(1, 0, 2).reshape(d, n * h),
                p.slice(1, dh, dh + h).reshape(1, n * h), p.slice(1, dh + h, dh + 2 * h).reshape(1, n * h),
                p.slice(1, dim - 1, dim).reshape(1, n)};
    }
}
