package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.fit.Registry;

import static org.junit.jupiter.api.Assertions.*;

/** The flow/SIVI comparison in miniature: every method's options are valid on every target, a short table is written. */
class FlowToysTest {
    @Test void everyMethodHasValidOptionsOnEveryTarget() {
        for (String t : FlowToys.TARGETS)
            for (String m : FlowToys.METHODS)
                assertDoesNotThrow(() -> Registry.descriptor(FlowToys.registryMethod(m)).validate(FlowToys.options(m, t, 100)), m + " on " + t);
    }

    @Test void miniatureTableIsWritten(@TempDir Path dir) throws Exception {
        var cfg = new FlowToys.Config(10, 200, 1);
        List<FlowToys.Row> rows = FlowToys.table(cfg, new String[] {"banana"}, new String[] {"flow-planar", "iwae-realnvp", "iwae-si-realnvp"});
        assertEquals(3, rows.size());
        for (var r : rows) assertTrue(Double.isFinite(r.knnKl()), r.toString());
        FlowToys.write(rows, cfg, true, dir);
        assertTrue(Files.readString(dir.resolve("table.md")).contains("| banana | iwae-realnvp |"));
        assertTrue(Files.exists(dir.resolve("result.json")));
    }
}
