package sivi.autodiff;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Ops#dense}'s first-order backward when only the input (a frozen layer) or only the
 * weights (a constant input) need a gradient takes a one-GEMM path; it must equal the gradient of
 * the composite twin act(xW + b) with every input a leaf.
 */
class DensePartialBackwardTest {
    @ParameterizedTest(name = "{0} inputLeaf={1}")
    @CsvSource({"RELU,true", "RELU,false", "IDENTITY,true", "IDENTITY,false", "TANH,true", "TANH,false"})
    void partialGradientsEqualTheCompositeOnes(Activation act, boolean inputLeaf) {
        Rng rng = new Rng(3);
        Tensor x = rng.normal(DType.F64, 7, 5), w = rng.normal(DType.F64, 5, 4), b = rng.normal(DType.F64, 4), u = rng.normal(DType.F64, 7, 4);
        Var xv = inputLeaf ? Var.leaf(x) : Var.constant(x);
        Var wv = inputLeaf ? Var.constant(w) : Var.leaf(w), bv = inputLeaf ? Var.constant(b) : Var.leaf(b);
        Var y = Ops.dense(act, xv, wv, bv);
        Var xl = Var.leaf(x), wl = Var.leaf(w), bl = Var.leaf(b);
        Var[] ref = Autodiff.grad(Ops.sum(Ops.mul(Composite.dense(act, xl, wl, bl), Var.constant(u))), new Var[] {xl, wl, bl}, null, false);
        Var[] got = inputLeaf ? Autodiff.grad(Ops.sum(Ops.mul(y, Var.constant(u))), new Var[] {xv}, null, false)
                : Autodiff.grad(Ops.sum(Ops.mul(y, Var.constant(u))), new Var[] {wv, bv}, null, false);
        Var[] exp = inputLeaf ? new Var[] {ref[0]} : new Var[] {ref[1], ref[2]};
        for (int i = 0; i < exp.length; i++) {
            double[] a = got[i].value().toDoubleArray(), e = exp[i].value().toDoubleArray();
            assertEquals(e.length, a.length);
            // same products summed in possibly different order: f64 rounding only
            for (int j = 0; j < e.length; j++) assertEquals(e[j], a[j], 1e-12 * (1 + Math.abs(e[j])));
        }
    }
}
