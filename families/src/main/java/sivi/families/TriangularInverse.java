package sivi.families;

import sivi.autodiff.Var;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * L⁻¹ of a lower-triangular d×d matrix as a differentiable op. Value by forward substitution;
 * backward from d(L⁻¹) = −L⁻¹ dL L⁻¹: G ↦ −L⁻ᵀ G L⁻ᵀ, written with ops on the output, so it is
 * differentiable again. The gradient is that of the full matrix inverse; callers that build L from
 * an unconstrained parameter through a lower-triangular mask get the triangular gradient.
 */
final class TriangularInverse {
    private TriangularInverse() {}

    static Var of(Var l) {
        int d = l.dim(0);
        double[] lv = l.value().toDoubleArray(), inv = new double[d * d];
        for (int col = 0; col < d; col++)                 // solve L·v = e_col, column by column
            for (int i = col; i < d; i++) {
                double acc = i == col ? 1 : 0;
                for (int j = col; j < i; j++) acc -= lv[i * d + j] * inv[j * d + col];
                inv[i * d + col] = acc / lv[i * d + i];
            }
        Var[] self = new Var[1];
        self[0] = Var.derived("triangularInverse", Tensor.of(l.dtype(), inv, d, d), new Var[] {l},
                g -> new Var[] {neg(matmul(matmul(self[0], g, true, false), self[0], false, true))});
        return self[0];
    }
}
