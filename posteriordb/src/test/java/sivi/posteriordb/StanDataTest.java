package sivi.posteriordb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Damaged data is a one-line IllegalArgumentException naming posterior and variable, before any large allocation. */
class StanDataTest {
    private static String fails(org.junit.jupiter.api.function.Executable e) {
        String m = assertThrows(IllegalArgumentException.class, e).getMessage();
        assertTrue(m.startsWith("posteriordb p: ") && !m.contains("\n") && m.length() < 200, m);
        return m;
    }

    @Test void anIntBeyondTheIntRangeIsRefusedNotTruncated() {
        StanData d = StanData.parse("p", "{\"N\": 1e300, \"M\": 2147483648, \"K\": 3}");
        assertTrue(fails(() -> d.integer("N", 0)).contains("too large for an int"));
        assertTrue(fails(() -> d.integer("M", 0)).contains("too large for an int"));
        assertTrue(d.integer("K", 0) == 3);
    }

    @Test void aMatrixWithAnImpossibleDeclaredWidthFailsOnItsFirstRow() {
        StanData d = StanData.parse("p", "{\"X\": [[1, 2], [3, 4]]}");
        assertArrayEquals(new double[][] {{1, 2}, {3, 4}}, d.matrix("X", 2, 2));
        // 2 x 2^30 doubles would be 16 GiB: refused by the row check, never allocated
        assertTrue(fails(() -> d.matrix("X", 2, 1 << 30)).contains("row 1 has 2 values, the model declares 1073741824"));
    }

    @Test void damagedTextAndHugeValuesAreOneLine() {
        assertTrue(fails(() -> StanData.parse("p", "{\"y\": [1, 2")).contains("data.json is not valid JSON: JSON: "));
        assertTrue(fails(() -> StanData.parse("p", "{\"y\": [1e400]}")).contains("out of the double range"));
        StanData d = StanData.parse("p", "{\"y\": [[" + "1,".repeat(5000) + "1]]}");
        assertTrue(fails(() -> d.real("y")).contains("…"));
    }
}
