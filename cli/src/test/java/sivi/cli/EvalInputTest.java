package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval never prints a mix of numbers and nulls for draws it cannot use: one line naming draw and column, exit 1. */
class EvalInputTest {
    @TempDir Path tmp;

    private MainTest.Result eval(String csv) throws Exception {
        Path f = Files.writeString(tmp.resolve("d.csv"), csv);
        return MainTest.run("eval", "--target", "banana", "--samples", f.toString());
    }

    @Test void nanInfAndHugeValuesAreRefusedNamingDrawAndColumn() throws Exception {
        for (String[] c : new String[][] {{"nan", "is not a finite number"}, {"inf", "is not a finite number"}, {"-Infinity", "is not a finite number"},
                {"1e308", "is too large to evaluate"}}) {
            MainTest.Result r = eval("x1,x2\n0.1,0.2\n0.3," + c[0] + "\n0.5,0.6\n");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("draw 2, column 'x2'") && r.err().contains(c[1]), r.err());
            assertEquals("", r.out());
        }
    }

    @Test void ordinaryDrawsStillEvaluate() throws Exception {
        MainTest.Result r = eval("x1,x2\n0.1,0.2\n0.3,-1e10\n0.5,0.6\n1,2\n");
        assertEquals(0, r.code(), r.err());
    }
}
