package sivi.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NumpyPermutationTest {
    // values printed by numpy 1.24: np.random.RandomState(42).permutation(n)
    @Test void matchesNumpyForTheBostonAndConcreteSplits() {
        int[] p = NumpyPermutation.of(506, 42);
        assertArrayEquals(new int[] {173, 274, 491, 72, 452, 76, 316, 140, 471, 500, 218, 9}, Arrays.copyOf(p, 12));
        assertArrayEquals(new int[] {106, 270, 348, 435, 102}, Arrays.copyOfRange(p, 501, 506));
        assertArrayEquals(new int[] {31, 109, 136, 88, 918, 1025, 870, 318}, Arrays.copyOf(NumpyPermutation.of(1030, 42), 8));
    }

    @Test void isAPermutation() {
        for (int n : new int[] {0, 1, 2, 7, 1000}) {
            int[] p = NumpyPermutation.of(n, 3).clone();
            Arrays.sort(p);
            for (int i = 0; i < n; i++) assertEquals(i, p[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> NumpyPermutation.of(5, -1));
    }
}
