package sivi.repro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sivi.fit.Fit;
import sivi.fit.Preset;
import sivi.fit.Progress;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.mcmc.Nuts;
import sivi.metrics.MomentErrors;
import sivi.posteriordb.References;
import sivi.targets.Target;
import sivi.targets.Targets;

/**
 * The KSIVI paper's conditioned-diffusion experiment (D = 100 path steps, 20 observations) at its reference recipe,
 * the preset {@value #PRESET} (docs/results/cond-diffusion-session13/), scored against NUTS run here: for each seed,
 * the mean over the 100 coordinates of |mean − mean_NUTS| and |sd − sd_NUTS|, and the mean ratio sd / sd_NUTS, from
 * {@value #DRAWS} draws. The reference is not shipped (4 chains × 5000 draws of 100 coordinates would be ~5 MB), so
 * NUTS runs first (4 chains, 2000 warm-up + 5000 draws, ~1.5 min of one core, the chains spread over --threads); its
 * chains 1–2 scored against chains 3–4 give the errors' floor. Seeds 1..N ({@code --seeds}; default 5, quick 1;
 * quick: 2000 iterations and a short NUTS run). No published number is printed: the paper's results could not be
 * read here (the stored copies end after its introduction); the authors' code run on this machine is in the results
 * page above.
 */
public final class CondDiffusion {
    private CondDiffusion() {}

    static final String PRESET = "ksivi-cond-diffusion";
    static final int DRAWS = 5000, DEFAULT_SEEDS = 5, QUICK_ITERATIONS = 2000;

    /** Budgets: fit iterations (0 = the preset's), draws per fit, and the NUTS reference's chains, warm-up and draws per chain. */
    record Config(List<Long> seeds, int iterations, int draws, int nutsChains, int nutsWarmup, int nutsDraws) {
        static Config of(ReproOptions o) {
            int n = o.seedsOr(o.quick() ? 1 : DEFAULT_SEEDS);
            List<Long> seeds = new ArrayList<>();
            for (long s = 1; s <= n; s++) seeds.add(s);
            return o.quick() ? new Config(seeds, QUICK_ITERATIONS, 1000, 4, 300, 500) : new Config(seeds, 0, DRAWS, 4, 2000, 5000);
        }
    }

    /** Errors of one set of draws against the reference, averaged over coordinates. */
    record Scores(double meanErr, double sdErr, double sdRatio) {}

    /** One fit (or the reference's half against half: seed 0, method "nuts-floor"). */
    record Row(String method, long seed, int iterations, Scores scores, double seconds) {}

    record Result(List<Row> rows, double nutsRhatMax, int nutsDivergences, double nutsSeconds) {}

    static final PaperValue PUBLISHED = PaperValue.none("the KSIVI paper's (arXiv 2405.18997) results for this experiment could not be read "
            + "here (the stored copies end after its introduction); the authors' code run on this machine: "
            + "docs/results/cond-diffusion-session13/README.md");

    public static Result run(ReproOptions o, Path out) throws IOException {
        return run(Config.of(o), o.quick(), out);
    }

    static Result run(Config cfg, boolean quick, Path out) throws IOException {
        Target target = Targets.create("cond-diffusion");
        References.Reference ref = References.runNuts(target,
                Nuts.defaults().withChains(cfg.nutsChains()).withWarmup(cfg.nutsWarmup()).withDraws(cfg.nutsDraws())
                        .withThreads(sivi.kernels.Kernels.current().threads()), "nuts (run here)");   // --threads; the chains do not depend on it
        double[][] nuts = ref.draws();
        List<Row> rows = new ArrayList<>();
        // pooled draws are chain after chain: the first half of the chains against the second half
        int h = (cfg.nutsChains() / 2) * cfg.nutsDraws();
        rows.add(new Row("nuts-floor", 0, 0, score(Arrays.copyOfRange(nuts, 0, h), Arrays.copyOfRange(nuts, h, nuts.length)), ref.seconds()));
        Preset p = Registry.preset(PRESET);
        int its = cfg.iterations() > 0 ? cfg.iterations() : p.iterations();
        for (long seed : cfg.seeds()) {
            Fit f = Sivi.method(p.method()).preset(PRESET).iterations(its).seed(seed).draws(cfg.draws()).currentBackend().progress(Progress.SILENT).fit(target);
            rows.add(new Row(p.method(), seed, its, score(f.samples().toMatrix(), nuts), f.wallSeconds()));
        }
        Result r = new Result(rows, ref.rhatMax(), ref.divergences(), ref.seconds());
        write(r, quick, out);
        return r;
    }

    /** Mean over coordinates of |mean − mean_ref| and |sd − sd_ref|, and of sd / sd_ref (sds with the n − 1 denominator). */
    static Scores score(double[][] x, double[][] ref) {
        int d = ref[0].length;
        if (x[0].length != d) throw new IllegalArgumentException("draws have " + x[0].length + " coordinates, the reference " + d);
        MomentErrors.Moments a = MomentErrors.Moments.of(x), b = MomentErrors.Moments.of(ref);
        double me = 0, se = 0, sr = 0;
        for (int j = 0; j < d; j++) {
            me += Math.abs(a.mean()[j] - b.mean()[j]);
            se += Math.abs(a.sd()[j] - b.sd()[j]);
            sr += a.sd()[j] / b.sd()[j];
        }
        return new Scores(me / d, se / d, sr / d);
    }

    static void write(Result r, boolean quick, Path out) throws IOException {
        List<Row> fits = r.rows().stream().filter(x -> x.seed() > 0).toList();
        Row floor = r.rows().stream().filter(x -> x.seed() == 0).findFirst().orElseThrow();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "Conditioned diffusion (D = 100, 20 observations), preset %s%s; errors averaged over the 100 coordinates against NUTS "
                        + "(max R-hat %.3f, %d divergences); mean ± sd over %d seed(s).%n%n"
                        + "| run | iterations | error of means | error of sds | sd / sd_NUTS | seconds | published |%n|---|---:|---:|---:|---:|---:|---|%n",
                PRESET, quick ? " (quick)" : "", r.nutsRhatMax(), r.nutsDivergences(), fits.size()));
        md.append(String.format(Locale.ROOT, "| NUTS chains 1–2 vs 3–4 (floor) | – | %.4f | %.4f | %.3f | %.1f | |%n",
                floor.scores().meanErr(), floor.scores().sdErr(), floor.scores().sdRatio(), floor.seconds()));
        List<Object> rows = new ArrayList<>();
        rows.add(rowJson(floor));
        if (!fits.isEmpty()) {
            SeedStats me = SeedStats.of(fits.stream().mapToDouble(x -> x.scores().meanErr()).toArray());
            SeedStats se = SeedStats.of(fits.stream().mapToDouble(x -> x.scores().sdErr()).toArray());
            SeedStats sr = SeedStats.of(fits.stream().mapToDouble(x -> x.scores().sdRatio()).toArray());
            SeedStats t = SeedStats.of(fits.stream().mapToDouble(Row::seconds).toArray());
            String seeds = fits.size() == 1 ? "seed " + fits.get(0).seed() : "seeds " + fits.get(0).seed() + "–" + fits.get(fits.size() - 1).seed();
            md.append(String.format(Locale.ROOT, "| %s, %s | %d | %s | %s | %s | %.1f | %s |%n", fits.get(0).method(), seeds, fits.get(0).iterations(), me.format("%.4f"), se.format("%.4f"), sr.format("%.3f"), t.mean(),
                    PUBLISHED.format("%.4f")));
            md.append("\nPer seed (error of means / of sds):");
            for (Row x : fits) md.append(String.format(Locale.ROOT, " %d: %.4f/%.4f;", x.seed(), x.scores().meanErr(), x.scores().sdErr()));
            md.setLength(md.length() - 1);
            md.append(".\n");
            // the README's --seeds form: the row holds the means over the seeds, <field>_sd beside them, per_seed the seeds
            Map<String, Object> fit = rowJson(fits.get(0));
            fit.remove("seed");
            fit.put("seeds", fits.stream().map(Row::seed).toList());
            fit.put("mean_err", me.mean());
            fit.put("mean_err_sd", me.sd());
            fit.put("sd_err", se.mean());
            fit.put("sd_err_sd", se.sd());
            fit.put("sd_ratio", sr.mean());
            fit.put("sd_ratio_sd", sr.sd());
            fit.put("seconds", t.mean());
            fit.put("per_seed", fits.stream().map(CondDiffusion::rowJson).toList());
            rows.add(fit);
        }
        md.append(String.format(Locale.ROOT, "%npublished: %s%n", PUBLISHED.citation()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", "cond-diffusion");
        m.put("preset", PRESET);
        m.put("quick", quick);
        m.put("rows", rows);
        m.put("nuts_rhat_max", r.nutsRhatMax());
        m.put("nuts_divergences", r.nutsDivergences());
        m.put("published", PUBLISHED.toJson());
        ResultFiles.writeJson(out, m);
        ResultFiles.writeText(out, "result.md", md.toString());
    }

    private static Map<String, Object> rowJson(Row x) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("method", x.method());
        j.put("seed", x.seed());
        j.put("iterations", x.iterations());
        j.put("mean_err", x.scores().meanErr());
        j.put("sd_err", x.scores().sdErr());
        j.put("sd_ratio", x.scores().sdRatio());
        j.put("seconds", x.seconds());
        return j;
    }
}
