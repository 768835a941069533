package sivi.methods;

import java.util.Set;
import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.Preset;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.targets.Targets;

import static org.junit.jupiter.api.Assertions.*;

/** Every preset of the score-based methods names a known target, reads all its options, and runs. */
class ScoreBasedPresetsTest {
    private static final Set<String> METHODS = Set.of("ksivi", "ksivi-ml", "sivi-sm", "kpg", "kpg-is");

    @Test void everyPresetRunsAFewIterations() {
        int seen = 0;
        for (Preset p : Registry.presets().values()) {
            if (!METHODS.contains(p.method())) continue;
            seen++;
            assertEquals(p.method() + "-" + p.target(), p.name());
            // small sizes so the test is fast; every preset key must still be read (else Trainer throws)
            Sivi s = Sivi.method(p.method()).preset(p.name()).set("batch", 16).set("hidden", 8).iterations(3).draws(5);
            if (p.method().equals("sivi-sm")) s = s.set("f_hidden", 8);
            if (p.method().equals("kpg-is")) s = s.set("num_proposals", 8);
            Fit f = s.fit(Targets.create(p.target()));
            assertEquals(3, f.trace().size(), p.name());
            for (double o : f.trace().objective()) assertTrue(Double.isFinite(o), p.name() + " objective " + o);
        }
        // ksivi, sivi-sm, kpg, kpg-is, ksivi-ml on banana / multimodal / x-shaped, and on lr-waveform; the 3 BNN presets;
        // ksivi on cond-diffusion
        assertEquals(5 * 3 + 5 + 3 + 1, seen);
    }

    @Test void referenceNumbersOfTheSiviSmBananaPreset() {
        Preset p = Registry.preset("sivi-sm-banana");
        assertEquals(50000, p.iterations());
        var o = p.options().asMap();
        assertEquals("500", o.get("batch"));
        assertEquals("3", o.get("zdim"));
        assertEquals("50", o.get("hidden"));
        assertEquals("128", o.get("f_hidden"));
        assertEquals("1e-3", o.get("lr"));
        assertEquals("2e-3", o.get("lr_f"));
        assertEquals("1000", o.get("lr_step"));
        assertEquals("0", o.get("logvar_init"));
        assertEquals("-6", o.get("logvar_min"));
        assertTrue(Registry.preset("sivi-sm-multimodal").options().asMap().containsKey("anneal"));
    }

    /** kernel_sivi_langevin_post.yml as written (1000 epochs × 100 iterations; the script's Adam passes betas (0.9, 0.99)). */
    @Test void referenceNumbersOfTheKsiviConditionedDiffusionPreset() {
        Preset p = Registry.preset("ksivi-cond-diffusion");
        assertEquals(100000, p.iterations());
        assertEquals("cond-diffusion", p.target());
        assertEquals(Registry.preset("ksivi-cond-diffusion").options().asMap(), java.util.Map.of("batch", "128", "zdim", "100", "hidden", "128",
                "lr", "2e-4", "lr_logvar", "2e-4", "lr_step", "10000", "lr_gamma", "0.9", "logvar_init", "-2", "logvar_min", "-12", "kernel", "gaussian"));
        assertEquals(100, Targets.create("cond-diffusion").dim());
    }
}
