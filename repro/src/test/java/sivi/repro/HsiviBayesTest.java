package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** The comparison's plumbing at a tiny budget (the quick variant itself takes ~minutes). */
class HsiviBayesTest {
    @Test void tinyTableAndJson(@TempDir Path dir) throws Exception {
        List<HsiviBayes.Row> rows = HsiviBayes.table(new String[] {"x-shaped", "funnel", "lr-waveform"}, HsiviBayes.METHODS, 5, 100, 3);
        assertEquals(12, rows.size());
        for (HsiviBayes.Row r : rows) assertTrue(Double.isFinite(r.mmd()) && Double.isFinite(r.knnKl()), r.toString());
        HsiviBayes.write(rows, true, dir);
        String json = Files.readString(dir.resolve("result.json"));
        assertTrue(json.contains("\"method\"") && json.contains("hsivi-lb") && json.contains("knn_kl"), json);
        assertTrue(Files.readString(dir.resolve("result.md")).contains("| funnel | sivi-sm |"));
    }

    @Test void selectorsKeepTableOrderAndRefuseUnknownNames() {
        assertArrayEquals(new String[] {"x-shaped", "funnel"}, HsiviBayes.select(HsiviBayes.TARGETS, List.of("funnel", "x-shaped"), "posterior"));
        assertArrayEquals(HsiviBayes.METHODS, HsiviBayes.select(HsiviBayes.METHODS, List.of(), "method"));
        assertThrows(IllegalArgumentException.class, () -> HsiviBayes.select(HsiviBayes.METHODS, List.of("nope"), "method"));
    }
}
