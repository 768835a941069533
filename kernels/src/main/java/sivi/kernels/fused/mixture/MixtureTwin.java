package sivi.kernels.fused.mixture;

import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Checks;
import sivi.kernels.Reduce;
import sivi.kernels.Unary;
import sivi.tensor.Shapes;
import sivi.tensor.Tensor;

/**
 * log (1/K) Σ_k N(x_n | μ_k, diag σ_k²) and its backward composed of primitives through N×K×d
 * broadcasts: ℓ_nk = Σ_j (−½ z² − log σ − ½ log 2π) with z = (x_nj − μ_kj)·e^{−log σ_kj}, then
 * log-sum-exp over k; the backward weights each component by its responsibility e^{ℓ_nk − out_n − log K}.
 */
public final class MixtureTwin {
    private MixtureTwin() {}

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    /** {x_n − μ_k (N×K×d), e^{−2 log σ} (1×K×d or 1×1×d), ℓ (N×K)}. */
    private static Tensor[] components(Backend be, Tensor x, Tensor mu, Tensor logSigma) {
        Tensor ls = logSigma.unsqueeze(0), diff = be.binary(Binary.SUB, x.unsqueeze(1), mu.unsqueeze(0));
        Tensor z = be.binary(Binary.MUL, diff, be.unary(Unary.EXP, be.unary(Unary.NEG, ls)));
        Tensor terms = be.binary(Binary.SUB, be.affine(be.unary(Unary.SQUARE, z), -0.5, -HALF_LOG_2PI), ls);
        return new Tensor[] {diff, be.unary(Unary.EXP, be.affine(ls, -2, 0)), be.reduce(Reduce.SUM, terms, 2, false)};
    }

    public static Tensor forward(Backend be, Tensor x, Tensor mu, Tensor logSigma) {
        Checks.mixture("lseMixture", x, mu, logSigma);
        Tensor l = components(be, x, mu, logSigma)[2];
        return be.affine(be.reduce(Reduce.LOGSUMEXP, l, 1, false), 1, -Math.log(mu.dim(0)));
    }

    /** {gx (N×d), gμ (K×d), glog σ (shape of logSigma)}. */
    public static Tensor[] backward(Backend be, Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) {
        Checks.mixture("lseMixtureBackward", x, mu, logSigma);
        Checks.sameDType("lseMixtureBackward", x, gOut);
        if (gOut.size() != x.dim(0)) throw new IllegalArgumentException("lseMixtureBackward: gOut " + Shapes.str(gOut.shape()) + " must have " + x.dim(0) + " elements");
        Tensor[] c = components(be, x, mu, logSigma);
        Tensor diff = c[0], inv = c[1], l = c[2];
        Tensor resp = be.unary(Unary.EXP, be.binary(Binary.SUB, l, be.reduce(Reduce.LOGSUMEXP, l, 1, true)));   // r_nk
        Tensor w = be.binary(Binary.MUL, resp, gOut.reshape(x.dim(0), 1)).unsqueeze(2);                           // gOut_n·r_nk
        Tensor q = be.binary(Binary.MUL, diff, inv);                                                                 // (x − μ)/σ²
        Tensor wq = be.binary(Binary.MUL, w, q);
        Tensor gx = be.unary(Unary.NEG, be.reduce(Reduce.SUM, wq, 1, false));
        Tensor gmu = be.reduce(Reduce.SUM, wq, 0, false);
        Tensor gls = be.sumTo(be.binary(Binary.MUL, w, be.affine(be.binary(Binary.MUL, diff, q), 1, -1)), logSigma.unsqueeze(0).shape());
        return new Tensor[] {gx, gmu, gls.reshape(logSigma.shape())};
    }
}
