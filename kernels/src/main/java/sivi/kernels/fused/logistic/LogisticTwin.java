package sivi.kernels.fused.logistic;

import sivi.kernels.Backend;
import sivi.kernels.Checks;
import sivi.tensor.Tensor;

/**
 * Logistic regression's terms {y − σ(z), σ(z)(1 − σ(z))} of the logits z = A·B, composed: a GEMM, then
 * {@link Backend#logisticTerms(Tensor, Tensor)}; and its score {(y − σ(z))·C, σ(z)(1 − σ(z))}: those terms, then a GEMM.
 */
public final class LogisticTwin {
    private LogisticTwin() {}

    public static Tensor[] ofProduct(Backend be, Tensor a, Tensor b, Tensor y) {
        Checks.logisticTerms("logisticTerms", a, b, y);
        return be.logisticTerms(be.matmul(a, b, false, false), y);
    }

    public static Tensor[] score(Backend be, Tensor a, Tensor b, Tensor y, Tensor c) {
        Checks.logisticScore("logisticScore", a, b, y, c);
        Tensor[] terms = be.logisticTerms(a, b, y);
        return new Tensor[] {be.matmul(terms[0], c, false, false), terms[1]};
    }
}
