package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.fit.Registry;

import static org.junit.jupiter.api.Assertions.*;

class BnnUciTest {
    @Test void everyPresetIsARegisteredBnnPreset() {
        for (String name : BnnUci.PRESETS) {
            var p = Registry.preset(name);
            assertTrue(p.target().startsWith("bnn-"), name);
            assertTrue(List.of("ksivi", "sivi-sm").contains(p.method()), name);
            assertEquals(20000, p.iterations(), name + ": 200 epochs x 100 iterations as the scripts");
        }
    }

    @Test void tableShowsMeanSdPerSeedValuesAndTheMissingPublishedNumber(@TempDir Path dir) throws Exception {
        var row = new BnnUci.Row("ksivi-bnn-boston", "ksivi", "bnn-boston", 20000, new double[] {2.5, 2.7}, new double[] {-2.4, -2.6}, new double[] {10, 12});
        BnnUci.write(List.of(row), false, 2, dir);
        String md = Files.readString(dir.resolve("result.md"));
        assertTrue(md.contains("| ksivi-bnn-boston | 20000 | 2.600 ± 0.141 | -2.500 ± 0.141 | – | 11.0 |"), md);
        String json = Files.readString(dir.resolve("result.json"));
        assertTrue(json.contains("\"test_rmse_per_seed\""), json);
        assertTrue(json.contains("\"value\": null") || json.contains("\"value\":null"), json);
    }
}
