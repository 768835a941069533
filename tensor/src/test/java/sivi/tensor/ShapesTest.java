package sivi.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapesTest {
    /** 65536^4 = 2^64 wraps a long to 0: the size must be checked factor by factor (a damaged checkpoint header had this shape). */
    @Test void aProductThatOverflowsLongIsTooLargeNotZero() {
        assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {65536, 65536, 65536, 65536}));
        assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {65536, 32768}));
        assertEquals(Integer.MAX_VALUE, Shapes.size(new int[] {Integer.MAX_VALUE, 1}));
        assertEquals(0, Shapes.size(new int[] {0, Integer.MAX_VALUE, Integer.MAX_VALUE}) * 0);
    }
}
