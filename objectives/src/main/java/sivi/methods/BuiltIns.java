package sivi.methods;

import sivi.fit.Options;
import sivi.fit.Preset;
import sivi.fit.Registry;

/** Registers the built-in methods and their reference presets. */
public final class BuiltIns {
    private BuiltIns() {}

    public static void registerAll() {
        ElboPresets.registerAll();   // advi, fullrank, sivi, iwhvi, uivi, svgd and their presets
        ElboPresets.logisticRegression("lr-waveform");
        Registry.method("ksivi", "kernel SIVI (Cheng et al. 2024): KSD with the score-difference form, vanilla or U-statistic", Ksivi::new);

        // KSIVI reference configs (longinYu/KSIVI configs/*.yml; docs/algorithms.md#ksivi)
        String ks = "KSIVI reference config (Cheng et al. 2024)";
        Registry.preset(new Preset("ksivi-banana", "ksivi", "banana", 50000,
                Options.of("batch", "500", "zdim", "3", "hidden", "50", "lr", "1e-3", "lr_logvar", "1e-3", "lr_step", "1000", "lr_gamma", "0.9",
                        "logvar_init", Double.toString(Math.log(0.25)), "logvar_min", "-20", "kernel", "gaussian"), ks));
        Registry.preset(new Preset("ksivi-x-shaped", "ksivi", "x-shaped", 50000,
                Options.of("batch", "500", "zdim", "3", "hidden", "50", "lr", "1e-3", "lr_logvar", "1e-3", "lr_step", "1000", "lr_gamma", "0.9",
                        "logvar_init", "0", "logvar_min", "-20", "kernel", "gaussian"), ks));
        Registry.preset(new Preset("ksivi-multimodal", "ksivi", "multimodal", 50000,
                Options.of("batch", "500", "zdim", "3", "hidden", "50", "lr", "1e-3", "lr_logvar", "1e-3", "lr_step", "1000", "lr_gamma", "0.9",
                        "logvar_init", "0", "logvar_min", "-20", "kernel", "imq", "anneal", "0.5"), ks));
        ScoreBased.register();
        Hsivi.register();
    }
}
