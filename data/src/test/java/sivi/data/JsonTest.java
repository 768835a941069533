package sivi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad JSON is an IllegalArgumentException "JSON: … at N", whatever the damage (cases the reader fuzz suite found). */
class JsonTest {
    private static String fails(String text) {
        String m = assertThrows(IllegalArgumentException.class, () -> Json.parse(text)).getMessage();
        assertTrue(m.startsWith("JSON: ") && m.matches("JSON: .* at [0-9]+"), m);
        return m;
    }

    @Test void truncatedTextIsAnErrorNotAnIndexOutOfBounds() {
        String valid = "{\"a\": [1, 2.5, {\"b\": \"x\\u00e9\"}], \"c\": null}";
        assertEquals(List.of(1, 2.5, Map.of("b", "xé")), ((Map<?, ?>) Json.parse(valid)).get("a"));
        for (int n = 0; n < valid.length(); n++) fails(valid.substring(0, n));
    }

    @Test void numbersBeyondTheDoubleRangeAreRefused() {
        assertTrue(fails("[1e400]").contains("out of the double range"));
        fails("-1e309");
        assertEquals(0.0, Json.parse("1e-400"));   // underflow to zero is a value, not an error
        assertEquals(1e20, Json.parse("100000000000000000000"));   // beyond long: a double
    }

    @Test void malformedNumbersAndEscapesSayWhere() {
        assertEquals("JSON: malformed number at 1", fails("[-]"));
        fails("\"\\u12\"");
        fails("\"\\uZZZZ\"");
    }

    @Test void deepNestingIsRefusedBeforeTheStackRunsOut() {
        String deep = "[".repeat(100_000);
        assertTrue(fails(deep).contains("nested deeper than " + Json.MAX_DEPTH));
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertTrue(Json.parse(ok) instanceof List<?>);
    }

    @Test void negativeZeroKeepsItsSignThroughWriteAndParse() {
        assertEquals(List.of(-0.0), Json.parse(Json.write(Json.parse("[-0.0]"))));
    }
}
