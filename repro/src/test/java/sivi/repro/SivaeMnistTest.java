package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.data.Json;

import static org.junit.jupiter.api.Assertions.*;

/** The SIVAE/VAE table in miniature (3 iterations, 2 test images): every model × bound row, the figure and the models are written. */
class SivaeMnistTest {
    @Test void miniatureTableHasEveryModelObjectiveAndBound(@TempDir Path dir) throws Exception {
        var b = new SivaeMnist.Budget(3, 2, 5, 2, 1);
        SivaeMnist.table(b, 1, SivaeMnist.SPECS, dir, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), t -> SivaeMnist.write(t, b, true, dir));
        @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("result.json")));
        @SuppressWarnings("unchecked") List<Map<String, Object>> rows = (List<Map<String, Object>>) r.get("rows");
        assertEquals(2 * SivaeMnist.SPECS.size(), rows.size());
        List<String> keys = rows.stream().map(m -> m.get("model") + "/" + m.get("objective") + "/" + m.get("bound") + "/" + m.get("k")).toList();
        assertEquals(List.of("vae/elbo/elbo/1", "vae/elbo/iwae/5", "vae/iwae/elbo/1", "vae/iwae/iwae/5", "sivae/sivi/sivi/1", "sivae/sivi/m-sivi/5",
                "sivae/iwhvi/iwhvi/1", "sivae/iwhvi/m-iwhvi/5", "sivae/iwhvi-m5/iwhvi/1", "sivae/iwhvi-m5/m-iwhvi/5"), keys);
        for (var m : rows) assertTrue(((Number) m.get("test_nll")).doubleValue() > 0, m.toString());
        assertTrue(Files.size(dir.resolve("samples.png")) > 0);
        assertTrue(Files.exists(dir.resolve("models/sivae-iwhvi-seed1.bin")));
        assertTrue(Files.readString(dir.resolve("table.md")).contains("| sivae | iwhvi | m-iwhvi | 5 | 2 |"));
    }

    @Test void isListedAndTakesSeeds() {
        assertTrue(Experiments.get("sivae-mnist").accepts().contains(Experiments.Selector.SEEDS));
    }
}
