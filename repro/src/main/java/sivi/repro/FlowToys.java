package sivi.repro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sivi.fit.Fit;
import sivi.fit.FitConfig;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Registry;
import sivi.fit.Trainer;
import sivi.metrics.KnnKl;
import sivi.targets.Target;
import sivi.targets.Targets;

/**
 * Normalising flows vs semi-implicit VI on the 2-D toys (docs/algorithms.md#flow): on banana and multimodal, each of
 * flow (planar / realnvp / iaf, the flow-&lt;target&gt; preset with that layer type; planar gets 3× the layers, each being
 * a rank-one map), iwae on the RealNVP flow (iwae-&lt;target&gt;), iwae on a semi-implicit family through IWHVI's bound
 * alone (iwae-si) and with a RealNVP after it (iwae-si-realnvp), ksivi and sivi (their toy presets) runs the shared
 * {@link Trainer} for the same number of iterations, and the 1-NN estimate of KL(q ‖ p) ({@link KnnKl}) between its
 * draws and as many exact draws is reported, mean and sd over seeds, with the wall time. quick: 300 iterations,
 * 1000 draws, 2 seeds; full: 2000 iterations (what a shared 2-core machine allows; the flow and iwae presets run 5000, ksivi's
 * and sivi's 20 000–50 000), 2000 draws, 3 seeds. Writes result.json and table.md.
 */
public final class FlowToys {
    private FlowToys() {}

    static final String[] TARGETS = {"banana", "multimodal"};
    static final String[] METHODS = {"flow-planar", "flow-realnvp", "flow-iaf", "iwae-realnvp", "iwae-si", "iwae-si-realnvp", "ksivi", "sivi"};

    record Config(int iterations, int draws, int seeds) {
        static Config of(boolean quick) { return quick ? new Config(300, 1000, 2) : new Config(2000, 2000, 3); }
    }

    /** One (target, method): kNN-KL mean and sd over seeds, mean seconds per fit. */
    public record Row(String target, String method, double knnKl, double knnKlSd, double seconds) {}

    public static List<Row> run(boolean quick, Path out) throws IOException {
        Config cfg = Config.of(quick);
        List<Row> rows = table(cfg, TARGETS, METHODS);
        write(rows, cfg, quick, out);
        return rows;
    }

    static Options options(String method, String target, int iterations) {
        Options o = switch (method) {
            case "flow-planar" -> Registry.preset("flow-" + target).options().with("flow", "planar").with("layers", 18);
            case "flow-realnvp" -> Registry.preset("flow-" + target).options().with("flow", "realnvp");
            case "flow-iaf" -> Registry.preset("flow-" + target).options().with("flow", "iaf");
            case "iwae-realnvp" -> Registry.preset("iwae-" + target).options();
            // the semi-implicit family through IWHVI's bound, alone and with a RealNVP after it ([ours], iwae's toy schedule)
            case "iwae-si" -> SEMI_IMPLICIT;
            case "iwae-si-realnvp" -> SEMI_IMPLICIT.with("si_flow", "realnvp").with("si_flow_layers", 4).with("si_flow_hidden", "32,32");
            case "ksivi", "sivi" -> Registry.preset(method + "-" + target).options();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
        if (o.has("anneal_total")) o = o.with("anneal_total", iterations);
        return o;
    }

    static final Options SEMI_IMPLICIT = Options.of("family", "semi_implicit", "zdim", "3", "si_hidden", "32,32", "activation", "tanh", "inner_k", "10",
            "k", "10", "batch", "10", "lr", "1e-3", "lr_gamma", "0.9", "lr_step", "1000");

    static String registryMethod(String m) { return m.startsWith("flow") ? "flow" : m.startsWith("iwae") ? "iwae" : m; }

    static List<Row> table(Config cfg, String[] targets, String[] methods) {
        List<Row> rows = new ArrayList<>();
        for (String tn : targets) {
            Target target = Targets.create(tn);
            for (String m : methods) {
                double[] kl = new double[cfg.seeds()];
                double secs = 0;
                for (int s = 0; s < cfg.seeds(); s++) {
                    double[][] exact = HsiviBayes.reference(target, cfg.draws(), s + 1);
                    FitConfig fc = FitConfig.defaults(cfg.iterations()).withCurrentBackend().withSeed(s + 1).withDraws(cfg.draws());
                    long t0 = System.nanoTime();
                    Fit fit = Trainer.fit(Registry.method(registryMethod(m)), target, options(m, tn, cfg.iterations()), fc, Progress.SILENT);
                    secs += (System.nanoTime() - t0) / 1e9 / cfg.seeds();
                    kl[s] = KnnKl.divergence(HsiviBayes.rows(fit.samples()), exact);
                }
                double mean = 0, sq = 0;
                for (double v : kl) mean += v / kl.length;
                for (double v : kl) sq += (v - mean) * (v - mean);
                rows.add(new Row(tn, m, mean, kl.length > 1 ? Math.sqrt(sq / (kl.length - 1)) : 0, secs));
            }
        }
        return rows;
    }

    static void write(List<Row> rows, Config cfg, boolean quick, Path out) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> rs = new ArrayList<>();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "1-NN KL(q || p) against %d exact draws, %d iterations per fit, mean ± sd over %d seeds (f32, current backend).%n%n"
                        + "| target | method | kNN-KL | sd | seconds per fit |%n|---|---|---|---|---|%n", cfg.draws(), cfg.iterations(), cfg.seeds()));
        for (Row r : rows) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("target", r.target());
            x.put("method", r.method());
            x.put("knn_kl", r.knnKl());
            x.put("knn_kl_sd", r.knnKlSd());
            x.put("seconds", Math.round(r.seconds() * 10) / 10.0);
            rs.add(x);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.1f |%n", r.target(), r.method(), r.knnKl(), r.knnKlSd(), r.seconds()));
        }
        m.put("rows", rs);
        m.put("iterations", cfg.iterations());
        m.put("draws", cfg.draws());
        m.put("seeds", cfg.seeds());
        m.put("quick", quick);
        m.put("source", "ours: flows (Rezende & Mohamed 2015, Dinh et al. 2017, Kingma et al. 2016) vs KSIVI and SIVI presets, same iteration budget");
        ResultFiles.writeJson(out, m);
        ResultFiles.writeText(out, "table.md", md.toString());
    }
}
