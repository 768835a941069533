package sivi.tensor;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * contiguous() of every kind of view (broadcast rows, transposes, slices with an offset, permutes,
 * zero-size axes) against {@link Tensor#get}, which reads through the strides element by element.
 */
class ContiguousCopyTest {
    static Tensor rand(DType dt, SplittableRandom r, int... shape) {
        return Tensor.of(dt, r.doubles(Shapes.size(shape), -1, 1).toArray(), shape);
    }

    static void assertSameElements(Tensor view, String what) {
        Tensor c = view.contiguous();
        assertTrue(c.isContiguous(), what);
        assertArrayEquals(view.shape(), c.shape(), what);
        int[] shape = view.shape(), idx = new int[shape.length];
        double[] flat = c.toDoubleArray();
        for (int i = 0; i < flat.length; i++) {
            assertEquals(view.get(idx), flat[i], what + " element " + i);
            for (int a = shape.length - 1; a >= 0; a--) { if (++idx[a] < shape[a]) break; idx[a] = 0; }
        }
    }

    @ParameterizedTest @EnumSource(DType.class)
    void everyViewCopiesItsElementsInRowMajorOrder(DType dt) {
        var r = new SplittableRandom(5);
        assertSameElements(rand(dt, r, 3, 1).expand(3, 7), "column broadcast along rows (stride-0 rows)");
        assertSameElements(rand(dt, r, 1, 7).expand(4, 7), "row broadcast (stride-0 outer axis)");
        assertSameElements(Tensor.scalar(dt, 2.5).expand(2, 3, 4), "scalar expanded to rank 3");
        assertSameElements(rand(dt, r, 5, 9).transpose(0, 1), "transpose (strided rows)");
        assertSameElements(rand(dt, r, 6, 8).slice(1, 2, 7), "column slice with an offset");
        assertSameElements(rand(dt, r, 6, 8).slice(0, 1, 4).transpose(0, 1), "slice then transpose");
        assertSameElements(rand(dt, r, 2, 3, 4).permute(2, 0, 1), "rank-3 permute");
        assertSameElements(rand(dt, r, 2, 3, 4).permute(1, 2, 0).slice(1, 1, 3), "permute then slice");
        assertSameElements(rand(dt, r, 10).slice(0, 3, 9), "rank-1 slice (contiguous with offset)");
        assertSameElements(rand(dt, r, 4, 0).transpose(0, 1), "zero-size axis");
        assertSameElements(rand(dt, r, 0, 5).transpose(0, 1), "zero-size last axis after transpose");
    }
}
