package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fit that blows up without NaN still ends with exit 0, but says so on stderr and in summary.json. */
class DivergenceWarningTest {
    @TempDir Path tmp;

    @Test void svgdWithAHugeStepIsFlagged() throws Exception {
        Path dir = tmp.resolve("run");
        MainTest.Result r = MainTest.run("fit", "--method", "svgd", "--set", "lr=1e8", "--iterations", "40", "--draws", "50", "--quiet", "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("sivi: warning: ") && r.err().contains("the fit diverged"), r.err());
        assertTrue(String.valueOf(MainTest.json(dir.resolve("summary.json")).get("divergence_warning")).contains("diverged"));
    }

    @Test void anOrdinaryFitIsNotFlagged() throws Exception {
        Path dir = tmp.resolve("run");
        MainTest.Result r = MainTest.run("fit", "--method", "svgd", "--iterations", "40", "--draws", "50", "--quiet", "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("diverged"), r.err());
        Map<String, Object> s = MainTest.json(dir.resolve("summary.json"));
        assertTrue(s.containsKey("divergence_warning"));
        assertNull(s.get("divergence_warning"));
    }
}
