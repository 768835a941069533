package sivi.repro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.data.Json;
import sivi.fit.Registry;

import static org.junit.jupiter.api.Assertions.*;

class CondDiffusionTest {
    @Test void thePresetIsTheReferenceScriptsRecipe() {
        var p = Registry.preset(CondDiffusion.PRESET);
        assertEquals("ksivi", p.method());
        assertEquals("cond-diffusion", p.target());
        assertEquals(100_000, p.iterations(), "1000 epochs x 100 iterations as kernel_sivi_langevin_post.yml");
    }

    @Test void scoresAreTheCoordinateAveragesOfMomentErrors() {
        // column 0: mean 2, sd √2 against mean 0, sd 2; column 1: mean 1, sd √8 against mean 1, sd 1 (n − 1 sds)
        double[][] x = {{1, -1}, {3, 3}}, ref = {{Math.sqrt(2), 1 - Math.sqrt(0.5)}, {-Math.sqrt(2), 1 + Math.sqrt(0.5)}};
        CondDiffusion.Scores s = CondDiffusion.score(x, ref);
        assertEquals((2 + 0) / 2.0, s.meanErr(), 1e-12);
        assertEquals((2 - Math.sqrt(2) + Math.sqrt(8) - 1) / 2, s.sdErr(), 1e-12);
        assertEquals((Math.sqrt(2) / 2 + Math.sqrt(8)) / 2, s.sdRatio(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> CondDiffusion.score(new double[][] {{1}}, ref));
    }

    @Test void tinyRunWritesTheFloorAndEverySeed(@TempDir Path dir) throws Exception {
        var cfg = new CondDiffusion.Config(List.of(1L, 2L), 20, 200, 2, 150, 150);
        CondDiffusion.Result r = CondDiffusion.run(cfg, true, dir);
        assertEquals(List.of("nuts-floor", "ksivi", "ksivi"), r.rows().stream().map(CondDiffusion.Row::method).toList());
        assertNotEquals(r.rows().get(1).scores().meanErr(), r.rows().get(2).scores().meanErr(), "two seeds gave the same fit");
        // 20 iterations from log σ² = −2 leave the fit far wider than the posterior (sd ratio ≫ 1); NUTS' halves agree far better
        assertTrue(r.rows().get(1).scores().sdRatio() > 1.5, r.rows().toString());
        assertTrue(r.rows().get(0).scores().sdErr() < r.rows().get(1).scores().sdErr() / 3, r.rows().toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("result.json")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("rows");
        assertEquals(List.of("nuts-floor", "ksivi"), rows.stream().map(x -> x.get("method")).toList());
        List<?> perSeed = (List<?>) rows.get(1).get("per_seed");
        assertEquals(2, perSeed.size());
        double a = r.rows().get(1).scores().meanErr(), b = r.rows().get(2).scores().meanErr();
        assertEquals((a + b) / 2, ((Number) rows.get(1).get("mean_err")).doubleValue(), 1e-15);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), ((Number) rows.get(1).get("mean_err_sd")).doubleValue(), 1e-15);
        assertNull(((Map<?, ?>) json.get("published")).get("value"));
        String md = Files.readString(dir.resolve("result.md"));
        assertTrue(md.contains("| NUTS chains 1–2 vs 3–4 (floor) |") && md.contains("| ksivi, seeds 1–2 | 20 |") && md.contains(" ± ")
                && md.contains("published: "), md);
    }
}
