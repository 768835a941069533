package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** The data-batch sweep in miniature: both targets, both schedules, the full data and one batch size; a table is written. */
class DataBatchSweepTest {
    @Test void miniatureTableIsWritten(@TempDir Path dir) throws Exception {
        List<DataBatchSweep.Row> rows = DataBatchSweep.table(5, 5, 1, new int[] {400, 50}, new int[] {409, 100}, 50);
        assertEquals(8, rows.size());
        for (var r : rows) {
            assertTrue(Double.isFinite(r.metric1()) && Double.isFinite(r.metric2()), r.toString());
            assertEquals(r.target().startsWith("lr"), Double.isFinite(r.metric3()), "MMD² only against lr-waveform's NUTS draws: " + r);
        }
        DataBatchSweep.write(rows, true, 5, 5, 1, dir);
        assertTrue(Files.readString(dir.resolve("table.md")).contains("| bnn-boston | robbins-monro | 100 |"));
        assertTrue(Files.exists(dir.resolve("result.json")));
    }
}
