package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.json;
import static sivi.cli.MainTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.data.Json;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Registry;

/** The method schema through the CLI: listings, presets applied as written and recorded, variant keys dropped. */
class MethodOptionsCliTest {
    @TempDir Path tmp;

    @Test void methodsListsEveryAcceptedOptionOfEveryMethod() {
        MainTest.Result r = run("methods");
        assertEquals(0, r.code(), r.err());
        // one block per method: its name starts a line, its options follow indented
        String[] blocks = r.out().split("\n(?=[a-z])");
        assertEquals(Registry.descriptors().size(), blocks.length);
        for (int i = 0; i < blocks.length; i++) {
            MethodDescriptor d = Registry.descriptors().get(i);
            assertTrue(blocks[i].startsWith(d.name() + "  "), blocks[i]);
            for (OptionSpec s : d.options())
                assertTrue(blocks[i].contains("\n      " + s.key() + " ") && blocks[i].contains(s.signature()), d.name() + " lacks " + s.key());
        }
    }

    @Test void helpMethodAndMethodsJsonShowOneMethod() {
        MainTest.Result h = run("help", "hsivi");
        assertEquals(0, h.code(), h.err());
        assertTrue(h.out().startsWith("hsivi  ") && h.out().contains("[only with objective=sm]") && h.out().contains("hsivi-funnel"), h.out());
        MainTest.Result j = run("methods", "ksivi", "--json");
        assertEquals(0, j.code(), j.err());
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse(j.out());
        assertEquals("ksivi", m.get("name"));
        assertEquals(Registry.descriptor("ksivi").options().size(), ((List<?>) m.get("options")).size());
    }

    @Test void presetBatchIsAppliedAndRecorded() throws Exception {
        Path dir = tmp.resolve("preset");
        assertEquals(0, run("fit", "--preset", "ksivi-banana", "--iterations", "2", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString()).code());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(500, s.get("batch"));
        @SuppressWarnings("unchecked") Map<String, Object> src = (Map<String, Object>) s.get("option_sources");
        assertEquals("preset ksivi-banana", src.get("batch"));
        assertEquals("preset ksivi-banana", src.get("kernel"));
    }

    @Test void anExplicitPresetRunsItsIterationCountWithoutThePlateauRule() throws Exception {
        // advi-gaussian: 3000 iterations; the plateau rule (window 2000) could stop it at 2000 — an explicit preset must not
        Path dir = tmp.resolve("preset-iterations");
        assertEquals(0, run("fit", "--preset", "advi-gaussian", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString()).code());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(3000, ((Number) s.get("max_iterations")).intValue());
        assertEquals(3000, ((Number) s.get("iterations")).intValue());
        @SuppressWarnings("unchecked") Map<String, Object> stop = (Map<String, Object>) s.get("stop_rule");
        assertEquals("none", stop.get("rule"));
        // the same method and target without --preset (its default preset) keeps the default run: plateau, at most 20000
        Path dflt = tmp.resolve("default-preset");
        assertEquals(0, run("fit", "--method", "advi", "--target", "gaussian", "--draws", "20", "--quiet", "--no-plot", "--out", dflt.toString()).code());
        @SuppressWarnings("unchecked") Map<String, Object> stop2 = (Map<String, Object>) json(dflt.resolve("summary.json")).get("stop_rule");
        assertEquals("plateau", stop2.get("rule"));
        assertEquals(FitCommand.DEFAULT_ITERATIONS, ((Number) json(dflt.resolve("summary.json")).get("max_iterations")).intValue());
        assertEquals(2, run("fit", "--preset", "advi-gaussian", "--stop-window", "1000", "--out", tmp.resolve("w").toString()).code());
    }

    @Test void aPresetAloneNamesMethodAndTargetAndAnotherTargetIsNoted() throws Exception {
        Path dir = tmp.resolve("preset-alone");
        assertEquals(0, run("fit", "--preset", "ksivi-multimodal", "--iterations", "2", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString()).code());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals("multimodal", s.get("target"));
        assertEquals("ksivi", s.get("method"));
        MainTest.Result r = run("fit", "--target", "banana", "--preset", "ksivi-multimodal", "--iterations", "2", "--draws", "20", "--no-plot",
                "--out", tmp.resolve("preset-other").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("sivi: preset ksivi-multimodal was written for target multimodal; applying it to banana"), r.err());
    }

    @Test void explicitBatchOverridesThePresetAndIsRecorded() throws Exception {
        Path dir = tmp.resolve("override");
        assertEquals(0, run("fit", "--method", "ksivi", "--iterations", "2", "--batch", "30", "--set", "lr=2e-3", "--draws", "20", "--quiet", "--no-plot", "--format", "cmdstan",
                "--out", dir.toString()).code());
        Map<String, Object> s = json(dir.resolve("summary.json"));
        assertEquals(30, s.get("batch"));
        @SuppressWarnings("unchecked") Map<String, Object> src = (Map<String, Object>) s.get("option_sources");
        assertEquals("--batch (overrides preset ksivi-banana: 500)", src.get("batch"));
        assertEquals("--set (overrides preset ksivi-banana: 1e-3)", src.get("lr"));
        assertEquals("preset ksivi-banana", src.get("zdim"));
        // the CmdStan header names the method
        assertTrue(Files.readString(dir.resolve("samples.cmdstan.csv")).contains("# algorithm = ksivi\n"));
    }

    @Test void hsiviPresetWithTheLbObjectiveRunsAndSaysWhichKeysWereDropped() throws Exception {
        Path dir = tmp.resolve("lb");
        MainTest.Result r = run("fit", "--method", "hsivi", "--target", "multimodal", "--set", "objective=lb", "--iterations", "2", "--draws", "20",
                "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("hsivi: dropped f_hidden=128 (preset hsivi-multimodal)"), r.err());
        @SuppressWarnings("unchecked") Map<String, Object> opts = (Map<String, Object>) json(dir.resolve("summary.json")).get("options");
        assertEquals("lb", opts.get("objective"));
        assertFalse(opts.containsKey("lr_f"));
    }
}
