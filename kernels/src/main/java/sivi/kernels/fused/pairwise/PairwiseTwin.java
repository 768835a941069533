package sivi.kernels.fused.pairwise;

import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Checks;
import sivi.kernels.Reduce;
import sivi.kernels.Unary;
import sivi.tensor.Tensor;

/**
 * The pairwise distances and their contractions composed of primitives, through the N×M×d
 * differences x_n − y_m (broadcast), which the fused kernels avoid. Every term is formed and summed
 * as in the direct form, so the error bounds of the fused ops hold (README, fused set).
 */
public final class PairwiseTwin {
    private PairwiseTwin() {}

    /** x_n − y_m for all pairs: N×M×d. */
    private static Tensor differences(Backend be, Tensor x, Tensor y) {
        return be.binary(Binary.SUB, x.unsqueeze(1), y.unsqueeze(0));
    }

    /** D[n,m] = Σ_k f(x_nk − y_mk) with f = square (sqDist) or abs (l1Dist). */
    public static Tensor distance(Backend be, String op, Unary f, Tensor x, Tensor y) {
        Checks.pairDims(op, x, y);
        return be.reduce(Reduce.SUM, be.unary(f, differences(be, x, y)), 2, false);
    }

    /** {gx_n = Σ_m w_nm f(x_n − y_m), gy_m = −Σ_n w_nm f(x_n − y_m)} with f = identity (distContract) or sign (l1DistContract). */
    public static Tensor[] contract(Backend be, String op, boolean sign, Tensor w, Tensor x, Tensor y) {
        Checks.pairDims(op, x, y);
        Checks.pairWeights(op, w, x, y);
        Tensor diff = differences(be, x, y);
        Tensor t = be.binary(Binary.MUL, w.unsqueeze(2), sign ? be.unary(Unary.SIGN, diff) : diff);
        return new Tensor[] {be.reduce(Reduce.SUM, t, 1, false), be.unary(Unary.NEG, be.reduce(Reduce.SUM, t, 0, false))};
    }
}
