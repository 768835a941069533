package sivi.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import sivi.autodiff.GradCheck;
import sivi.autodiff.GradMode;
import sivi.autodiff.Ops;
import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Linear/Mlp: PyTorch initialisation bounds, shapes, names, and gradient checks. */
class NnTest {

    @Test void linearInitIsUniformWithinOneOverSqrtFanInAndHasInByOutShapes() {
        Params p = new Params();
        Linear l = Linear.create(p, "lin", 16, 40, Activation.TANH, new Rng(1), DType.F64);
        Tensor w = p.get("lin.weight"), b = p.get("lin.bias");
        assertArrayEquals(new int[] {16, 40}, w.shape());
        assertArrayEquals(new int[] {40}, b.shape());
        double bound = 1 / Math.sqrt(16);
        for (Tensor t : new Tensor[] {w, b}) {
            double max = 0, sum = 0;
            for (double v : t.toDoubleArray()) { assertTrue(Math.abs(v) <= bound, "|" + v + "| > " + bound); max = Math.max(max, Math.abs(v)); sum += v; }
            assertTrue(max > 0.8 * bound, "draws fill the interval: max " + max);      // P(fail) = 0.8^40 for the bias
            assertTrue(Math.abs(sum / t.size()) < 0.3 * bound, "centred: mean " + sum / t.size());
        }
        assertEquals(new Linear("lin", 16, 40, Activation.TANH), l);
    }

    @Test void linearInitHonoursTheDtype() {
        Params p = new Params();
        Linear.create(p, "lin", 3, 2, Activation.RELU, new Rng(1), DType.F32);
        assertEquals(DType.F32, p.get("lin.weight").dtype());
        assertEquals(DType.F32, p.get("lin.bias").dtype());
    }

    @Test void registeringTheSameParameterNameTwiceIsRejected() {
        Params p = new Params();
        Linear.create(p, "lin", 3, 2, Activation.RELU, new Rng(1), DType.F64);
        assertThrows(IllegalArgumentException.class, () -> Linear.create(p, "lin", 3, 2, Activation.RELU, new Rng(2), DType.F64));
    }

    @Test void mlpHasOneLayerPerSizePairWithIdentityOutputAndPerLayerBounds() {
        Params p = new Params();
        Mlp mlp = Mlp.create(p, "net", new int[] {3, 9, 4, 2}, Activation.SILU, new Rng(2), DType.F64);
        assertEquals(3, mlp.layers().size());
        assertEquals(Activation.SILU, mlp.layers().get(0).act());
        assertEquals(Activation.SILU, mlp.layers().get(1).act());
        assertEquals(Activation.IDENTITY, mlp.layers().get(2).act());
        assertEquals(3, mlp.in());
        assertEquals(2, mlp.out());
        assertEquals(java.util.List.of("net.0.weight", "net.0.bias", "net.1.weight", "net.1.bias", "net.2.weight", "net.2.bias"), p.names());
        assertEquals(3 * 9 + 9 + 9 * 4 + 4 + 4 * 2 + 2, p.count());
        int[] fanIn = {3, 9, 4};
        for (int i = 0; i < 3; i++)
            for (double v : p.get("net." + i + ".weight").toDoubleArray()) assertTrue(Math.abs(v) <= 1 / Math.sqrt(fanIn[i]));
        Var y = mlp.forward(p.bind(), Var.constant(new Rng(3).normal(DType.F64, 5, 3)));
        assertArrayEquals(new int[] {5, 2}, y.shape());
    }

    @Test void mlpNeedsInputAndOutputSizes() {
        assertThrows(IllegalArgumentException.class, () -> Mlp.create(new Params(), "net", new int[] {3}, Activation.TANH, new Rng(1), DType.F64));
    }

    static Var loss(Mlp mlp, Params.Bound b, Tensor x, Tensor w) { return Ops.sum(Ops.mul(mlp.forward(b, Var.constant(x)), Var.constant(w))); }

    @Test void mlpParameterGradientsMatchFiniteDifferences() {
        for (Activation act : Activation.values()) {
            Params p = new Params();
            Mlp mlp = Mlp.create(p, "net", new int[] {3, 6, 2}, act, new Rng(4), DType.F64);
            Tensor x = new Rng(5).normal(DType.F64, 7, 3), w = new Rng(6).normal(DType.F64, 7, 2);
            ParamsGradCheck.check("mlp " + act, p, b -> loss(mlp, b, x, w), 7, 3);
        }
    }

    @Test void mlpInputGradientMatchesFiniteDifferences() {
        Params p = new Params();
        Mlp mlp = Mlp.create(p, "net", new int[] {3, 6, 6, 2}, Activation.TANH, new Rng(8), DType.F64);
        Params.Bound bound = p.bind();
        GradCheck.checkOp("mlp input gradient", v -> mlp.forward(bound, v[0]), new Rng(9).normal(DType.F64, 4, 3));
    }

    @Test void frozenParametersGetNoGradientEntry() {
        Params p = new Params();
        Mlp mlp = Mlp.create(p, "net", new int[] {3, 4, 2}, Activation.TANH, new Rng(10), DType.F64);
        Params.Bound bound = p.bind(name -> name.startsWith("net.1"));
        Map<String, Tensor> g = bound.gradients(loss(mlp, bound, new Rng(11).normal(DType.F64, 2, 3), new Rng(12).normal(DType.F64, 2, 2)));
        assertEquals(java.util.List.of("net.1.weight", "net.1.bias"), java.util.List.copyOf(g.keySet()));
    }
}
