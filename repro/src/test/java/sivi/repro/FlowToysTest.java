package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** The flow/SIVI comparison in miniature: every method runs on its target's options and the files are written. */
class FlowToysTest {
    @Test void miniatureTableHasEveryMethodAndTheFiles(@TempDir Path dir) throws Exception {
        var cfg = new FlowToys.Config(20, 200, 1);
        List<FlowToys.Row> rows = FlowToys.table(cfg, new String[] {"banana"}, FlowToys.METHODS);
        assertEquals(FlowToys.METHODS.length, rows.size());
        for (var r : rows) assertTrue(Double.isFinite(r.knnKl()), r.toString());
        FlowToys.write(rows, cfg, true, dir);
        assertTrue(Files.readString(dir.resolve("table.md")).contains("| banana | flow-iaf |"));
        assertTrue(Files.exists(dir.resolve("result.json")));
    }
}
