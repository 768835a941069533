package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.json;
import static sivi.cli.MainTest.run;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fit --stop: the plateau rule ends a run early and says why (stderr, summary.json); --iterations alone runs them all. */
class FitStopCliTest {
    @TempDir Path tmp;

    @Test void plateauRuleEndsTheRunAtAWindowAndRecordsWhy() throws Exception {
        Path dir = tmp.resolve("p");
        MainTest.Result r = run("fit", "--target", "gaussian", "--method", "advi", "--stop", "plateau", "--stop-window", "50", "--batch", "10",
                "--iterations", "100000", "--draws", "20", "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        int its = ((Number) s.get("iterations")).intValue();
        assertEquals(100000, ((Number) s.get("max_iterations")).intValue());
        assertTrue(its < 100000 && its >= 150 && its % 50 == 0, "stopped at " + its);
        assertTrue(String.valueOf(s.get("stop_reason")).startsWith("objective plateau"), String.valueOf(s.get("stop_reason")));
        assertEquals(Map.of("rule", "plateau", "window", 50, "z", 1.0), s.get("stop_rule"));
        assertTrue(r.err().contains("sivi: stopped at iteration " + its + " of 100000: objective plateau"), r.err());
    }

    @Test void explicitIterationsRunAllOfThemUnderStopAuto() throws Exception {
        Path dir = tmp.resolve("n");
        MainTest.Result r = run("fit", "--target", "gaussian", "--method", "advi", "--iterations", "30", "--draws", "20", "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(30, ((Number) s.get("iterations")).intValue());
        assertEquals("iteration budget reached", s.get("stop_reason"));
        assertEquals(Map.of("rule", "none"), s.get("stop_rule"));
        assertTrue(r.err().contains("sivi: reached --iterations (30)"), r.err());
    }

    @Test void badStopOptionsAreUsageErrors() {
        String out = tmp.resolve("x").toString();
        MainTest.Result kind = run("fit", "--stop", "soon", "--out", out);
        assertEquals(2, kind.code());
        assertTrue(kind.err().contains("invalid value for --stop: 'soon' (accepted: auto, plateau, none)"), kind.err());
        MainTest.Result window = run("fit", "--stop-window", "15", "--out", out);
        assertEquals(2, window.code());
        assertTrue(window.err().contains("--stop-window must be a multiple of 10"), window.err());
        MainTest.Result none = run("fit", "--stop", "none", "--stop-window", "100", "--out", out);
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--stop-window needs the plateau rule"), none.err());
    }
}
