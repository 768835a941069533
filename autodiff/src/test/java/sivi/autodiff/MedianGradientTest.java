package sivi.autodiff;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Ops#median}: the gradient is g at the first entry equal to the (lower) median, 0 elsewhere, in both backward modes. */
class MedianGradientTest {
    @ParameterizedTest(name = "createGraph={0}")
    @ValueSource(booleans = {false, true})
    void gradientGoesToTheSelectedEntry(boolean createGraph) {
        double[] v = {4, 1, 3, 2, 5, 3};            // lower median = 3, first at index 2
        Var x = Var.leaf(Tensor.of(DType.F64, v, 2, 3));
        Var y = Ops.scale(Ops.median(x), 2.5);
        assertEquals(3.0, Ops.median(x).item());
        double[] g = Autodiff.grad(y, new Var[] {x}, null, createGraph)[0].value().toDoubleArray();
        assertArrayEquals(new double[] {0, 0, 2.5, 0, 0, 0}, g);
    }
}
