package sivi.methods;

import java.util.ArrayList;
import java.util.List;
import sivi.fit.Preset;

import static sivi.methods.ElboPresets.preset;

/**
 * Presets of bbvi, renyi, iwae and flow on the toy targets, the correlated Gaussian and lr-waveform. None of
 * the papers gives a recipe for these targets, so every number is "[ours]": the ADVI presets' schedule
 * (Adam lr 1e-2 × 0.9 per 1000 iterations), small initial σ on lr-waveform as ADVI's.
 */
final class BoundPresets {
    private BoundPresets() {}

    static List<Preset> all() {
        List<Preset> out = new ArrayList<>();
        List<String> targets = new ArrayList<>(ElboPresets.TOYS);
        targets.add("gaussian");
        for (String t : targets)
            out.add(preset("bbvi", t, 5000, "[ours] S = 100, Rao-Blackwellised + control variate", "batch", "100", "lr", "1e-2", "lr_gamma", "0.9", "lr_step", "1000"));
        out.add(preset("bbvi", "lr-waveform", 5000, "[ours] as advi-lr-waveform (small initial sigma)", "batch", "100", "log_sigma_init", "-2",
                "lr", "1e-2", "lr_gamma", "0.9", "lr_step", "1000"));
        return out;
    }
}
