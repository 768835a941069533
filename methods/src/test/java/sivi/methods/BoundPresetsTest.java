package sivi.methods;

import java.util.Set;
import org.junit.jupiter.api.Test;
import sivi.fit.Fit;
import sivi.fit.Preset;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.targets.Targets;

import static org.junit.jupiter.api.Assertions.*;

/** The presets of bbvi, renyi, iwae and flow read every key and run; bad option values are one-line errors. */
class BoundPresetsTest {
    private static final Set<String> METHODS = Set.of("bbvi", "renyi", "iwae", "flow");

    @Test void everyPresetRunsAFewIterations() {
        int seen = 0;
        for (Preset p : Registry.presets().values()) {
            if (!METHODS.contains(p.method())) continue;
            seen++;
            Fit f = Sivi.method(p.method()).preset(p.name()).set("batch", 4).iterations(3).draws(5).fit(Targets.create(p.target()));
            for (double o : f.trace().objective()) assertTrue(Double.isFinite(o), p.name() + " objective " + o);
        }
        assertEquals(4 * 5, seen);   // banana, multimodal, x-shaped, gaussian, lr-waveform for each
    }

    @Test void badAlphaAndDregWithPlanarAreRejected() {
        var a = assertThrows(IllegalArgumentException.class, () -> Sivi.method("renyi").set("alpha", "inf").iterations(1).fit(Recovery.TARGET));
        assertTrue(a.getMessage().contains("-inf"), a.getMessage());
        var b = assertThrows(IllegalArgumentException.class,
                () -> Sivi.method("iwae").set("family", "flow").set("flow", "planar").set("gradient", "dreg").iterations(1).fit(Recovery.TARGET));
        assertTrue(b.getMessage().contains("gradient=reparam"), b.getMessage());
        assertDoesNotThrow(() -> Sivi.method("iwae").set("family", "flow").set("flow", "planar").set("gradient", "reparam").iterations(2).fit(Recovery.TARGET));
        // the default, gradient=auto, takes reparam where q has no log density at a given x
        assertDoesNotThrow(() -> Sivi.method("iwae").set("family", "flow").set("flow", "planar").iterations(2).fit(Recovery.TARGET));
    }
}
