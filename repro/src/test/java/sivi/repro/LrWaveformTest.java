package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.data.Json;
import sivi.fit.Progress;

import static org.junit.jupiter.api.Assertions.*;

/** The plumbing of the lr-waveform comparison: tiny budgets, two cheap methods plus one without a preset (an unregistered name). */
class LrWaveformTest {
    @Test void tinyRunWritesWellFormedResult(@TempDir Path dir) throws Exception {
        var cfg = new LrWaveform.Config(5, 200, 100, List.of("advi", "sivi", "no-such-method"));
        LrWaveform.Result r = LrWaveform.run(cfg, true, dir, Progress.SILENT);
        assertEquals(List.of("advi", "sivi", "nuts-reference"), r.rows().stream().map(LrWaveform.Row::method).toList());
        assertEquals(List.of("no-such-method"), r.skipped().stream().map(LrWaveform.Skipped::method).toList());

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("result.json")));
        assertEquals("lr-waveform", json.get("target"));
        assertEquals(true, json.get("quick"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("rows");
        assertEquals(3, rows.size());
        for (String k : List.of("method", "preset", "iterations", "batch", "wall_seconds", "ms_per_iteration", "final_objective",
                "mean_err_max", "mean_err_rms", "sd_err_max", "sd_err_rms", "corr_err_max", "corr_err_rms", "mmd2", "mmd2_se",
                "test_log_likelihood", "test_accuracy"))
            assertTrue(rows.get(0).containsKey(k), k);
        for (Map<String, Object> row : rows.subList(0, 2)) {
            assertNull(row.get("error"), String.valueOf(row.get("error")));
            assertEquals(5.0, ((Number) row.get("iterations")).doubleValue());
            double ll = ((Number) row.get("test_log_likelihood")).doubleValue(), acc = ((Number) row.get("test_accuracy")).doubleValue();
            assertTrue(ll < 0 && acc >= 0 && acc <= 1, row.toString());
            assertTrue(((Number) row.get("mean_err_max")).doubleValue() > 0, row.toString());
        }
        assertEquals(100.0, ((Number) rows.get(0).get("batch")).doubleValue());
        // NUTS: good predictions, and its half-vs-half noise floor is small
        Map<String, Object> nuts = rows.get(2);
        assertTrue(((Number) nuts.get("test_accuracy")).doubleValue() > 0.7, nuts.toString());
        assertTrue(((Number) nuts.get("mean_err_max")).doubleValue() < 0.5, nuts.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> skipped = (List<Map<String, Object>>) json.get("skipped");
        assertEquals("no-such-method", skipped.get(0).get("method"));
        String md = Files.readString(dir.resolve("result.md"));
        assertTrue(md.contains("| advi |") && md.contains("nuts-reference") && md.contains("no-such-method"), md);
    }

    /** --seeds 2: each method fitted with seeds 1 and 2; the row holds their mean and sd, per_seed holds each. */
    @Test void seedsReportMeanAndSdWithPerSeedValues(@TempDir Path dir) throws Exception {
        var cfg = new LrWaveform.Config(5, 200, 100, List.of("advi"), SeedStats.seeds(new ReproOptions(true, 2, List.of(), List.of()), LrWaveform.SEED));
        LrWaveform.Result r = LrWaveform.run(cfg, true, dir, Progress.SILENT);
        assertEquals(List.of(1L, 2L), r.rows().stream().filter(x -> x.method().equals("advi")).map(LrWaveform.Row::seed).toList());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("result.json")));
        assertEquals(List.of(1.0, 2.0), ((List<?>) json.get("seeds")).stream().map(v -> ((Number) v).doubleValue()).toList());
        assertFalse(json.containsKey("seed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> advi = ((List<Map<String, Object>>) json.get("rows")).get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> per = (List<Map<String, Object>>) advi.get("per_seed");
        assertEquals(2, per.size());
        double a = ((Number) per.get(0).get("mmd2")).doubleValue(), b = ((Number) per.get(1).get("mmd2")).doubleValue();
        assertNotEquals(a, b, "two seeds gave the same fit");
        assertEquals((a + b) / 2, ((Number) advi.get("mmd2")).doubleValue(), 1e-15);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), ((Number) advi.get("mmd2_sd")).doubleValue(), 1e-15);
        assertNull(((Map<?, ?>) advi.get("paper")).get("value"));
        String md = Files.readString(dir.resolve("result.md"));
        assertTrue(md.contains("seeds 1–2, mean ± sd") && md.contains(" ± ") && md.contains("Paper: no published number"), md);
    }

    @Test void quickCapsIterations() {
        assertEquals(LrWaveform.QUICK_CAP, LrWaveform.Config.of(true).iterationCap());
        assertEquals(0, LrWaveform.Config.of(false).iterationCap());
    }
}
