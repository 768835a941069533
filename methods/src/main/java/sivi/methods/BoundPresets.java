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
            out.add(preset("bbvi", t, 5000, "[ours] S = 100, control variate", "batch", "100", "lr", "1e-2", "lr_gamma", "0.9", "lr_step", "1000"));
        out.add(preset("bbvi", "lr-waveform", 5000, "[ours] as advi-lr-waveform (small initial sigma)", "batch", "100", "log_sigma_init", "-2",
                "lr", "1e-2", "lr_gamma", "0.9", "lr_step", "1000"));
        String[] flowQ = {"family", "flow", "flow", "realnvp", "layers", "6", "hidden", "32,32"};
        String[] sched = {"lr_gamma", "0.9", "lr_step", "1000"};
        for (String t : ElboPresets.TOYS) {
            out.add(preset("flow", t, 5000, "[ours] RealNVP, 6 coupling layers of 32-32 tanh nets, N = 100",
                    cat(new String[] {"batch", "100", "flow", "realnvp", "layers", "6", "hidden", "32,32", "lr", "1e-3"}, sched)));
            out.add(preset("renyi", t, 5000, "[ours] alpha = 0.5, K = 10, B = 10 on the RealNVP flow of flow-" + t,
                    cat(flowQ, new String[] {"alpha", "0.5", "k", "10", "batch", "10", "lr", "1e-3"}, sched)));
            out.add(preset("iwae", t, 5000, "[ours] K = 10, B = 10, DReG, on the RealNVP flow of flow-" + t,
                    cat(flowQ, new String[] {"k", "10", "batch", "10", "gradient", "dreg", "lr", "1e-3"}, sched)));
        }
        // the correlated Gaussian and lr-waveform: a full-rank Gaussian q (exact for the former)
        out.add(preset("flow", "gaussian", 3000, "[ours] RealNVP with linear coupling nets (a full-rank Gaussian family)",
                cat(new String[] {"batch", "100", "flow", "realnvp", "layers", "4", "hidden", "", "lr", "1e-2"}, sched)));
        out.add(preset("renyi", "gaussian", 3000, "[ours] full-rank Gaussian, alpha = 0.5", cat(new String[] {"family", "full_rank", "lr", "1e-2"}, sched)));
        out.add(preset("iwae", "gaussian", 3000, "[ours] full-rank Gaussian, DReG", cat(new String[] {"family", "full_rank", "lr", "1e-2"}, sched)));
        String[] lrQ = {"family", "full_rank", "log_sigma_init", "-2", "lr", "1e-2"};
        out.add(preset("renyi", "lr-waveform", 5000, "[ours] full-rank Gaussian as fullrank-lr-waveform, alpha = 0.5, K = 10, B = 10", cat(lrQ, sched)));
        out.add(preset("iwae", "lr-waveform", 5000, "[ours] full-rank Gaussian as fullrank-lr-waveform, K = 10, B = 10, DReG", cat(lrQ, sched)));
        out.add(preset("flow", "lr-waveform", 5000, "[ours] RealNVP, 4 coupling layers of 32-32 tanh nets, small initial sigma",
                cat(new String[] {"batch", "100", "flow", "realnvp", "layers", "4", "hidden", "32,32", "log_sigma_init", "-2", "lr", "1e-3"}, sched)));
        return out;
    }

    private static String[] cat(String[]... parts) {
        List<String> o = new ArrayList<>();
        for (String[] p : parts) o.addAll(List.of(p));
        return o.toArray(new String[0]);
    }
}
