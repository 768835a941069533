package sivi.kernels.fused.matmultimes;

import sivi.kernels.Backend;
import sivi.kernels.Binary;
import sivi.kernels.Checks;
import sivi.tensor.Tensor;

/** (A·B) ⊙ H composed: a GEMM, then an elementwise product; ((A·B) ⊙ H)·C: that, then a GEMM (the fused ops must give these bits). */
public final class MatmulTimesTwin {
    private MatmulTimesTwin() {}

    public static Tensor apply(Backend be, Tensor a, Tensor b, Tensor h) {
        Checks.matmulTimes("matmulTimes", a, b, h);
        return be.binary(Binary.MUL, be.matmul(a, b, false, false), h);
    }

    public static Tensor thenMatmul(Backend be, Tensor a, Tensor b, Tensor h, Tensor c) {
        Checks.matmulTimesMatmul("matmulTimesMatmul", a, b, h, c);
        return be.matmul(be.matmulTimes(a, b, h), c, false, false);
    }
}
