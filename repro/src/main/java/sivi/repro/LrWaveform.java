package sivi.repro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import sivi.fit.Fit;
import sivi.fit.Preset;
import sivi.fit.Progress;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.metrics.Mmd;
import sivi.metrics.MomentErrors;
import sivi.metrics.Predictive;
import sivi.targets.LogisticRegression;
import sivi.targets.ReferenceDraws;
import sivi.tensor.DType;

/**
 * Bayesian logistic regression on the waveform split of the SIVI papers (Yin &amp; Zhou 2018 §5.2,
 * Yu &amp; Zhang 2023 SIVI-SM, Cheng et al. 2024 KSIVI): every registered method that has an
 * {@code <method>-lr-waveform} preset is fitted with that preset in f64 (the papers validate BLR in
 * double precision), seed {@value #SEED} (or seeds 1..N with {@code --seeds N}), and compared with the shipped NUTS reference draws
 * ({@code sivi/reference/lr-waveform.csv}, 4 chains × 1000 draws). Methods without a preset are
 * not fitted; they are listed under {@code "skipped"} with the reason.
 *
 * <p>Per method: iterations, batch (the preset's {@code batch}), wall seconds and median ms per
 * iteration of the training loop, the final objective (mean over the last 5% of iterations, in each
 * method's own units and sign — not comparable across methods), the {@link MomentErrors} of
 * {@value #DRAWS} fitted draws against all NUTS draws (max and RMS absolute errors of posterior
 * means, sds and pairwise correlations), MMD² with standard error ({@link Mmd#rbf}, median
 * bandwidth) between {@value #MMD_DRAWS} fitted draws and {@value #MMD_DRAWS} NUTS draws (every
 * 4th), and the test log-likelihood and accuracy of the fitted draws on the 4600 test rows
 * ({@link LogisticRegression#testMetrics}). The row {@code "nuts-reference"} holds the test metrics
 * of all NUTS draws; its moment errors and MMD² compare the first half of the NUTS file with the
 * second half (chains 1–2 vs 3–4), a Monte Carlo noise floor for the other rows.
 *
 * <p>{@code quick}: each method runs min(preset iterations, {@value #QUICK_CAP}) iterations with the
 * preset's hyper-parameters unchanged (learning-rate schedules therefore stop early; the numbers
 * are a smoke test of the comparison, not the papers' figures). Full: the presets' iteration counts.
 *
 * <p>Writes {@code result.json} = {"target", "quick", "seed", "dtype", "rows": [...], "skipped": [...], "paper": {...}}
 * and {@code result.md} (a markdown table). With {@code --seeds N} the top-level "seed" becomes "seeds" [1..N], each
 * row's metric fields hold the mean over the seeds, {@code <field>_sd} the sample sd between seeds, and
 * {@code per_seed} every seed's own values; the markdown prints mean ± sd. {@code --methods} restricts the methods.
 * "paper" holds each method's published number for this table ({@link PaperValue}): none exists — see {@link #PAPER}.
 */
public final class LrWaveform {
    private LrWaveform() {}

    public static final String TARGET = "lr-waveform";
    public static final long SEED = 2022;
    /** Iteration cap of the quick variant. */
    public static final int QUICK_CAP = 2000;
    static final int DRAWS = 4000;
    static final int MMD_DRAWS = 1000;

    /**
     * One run's sizes.
     *
     * @param iterationCap per-method iteration cap (≤ 0: the presets' counts)
     * @param draws        fitted draws for moments and test metrics
     * @param mmdDraws     draws per side of the MMD (≤ 1000)
     * @param methods      methods to consider (null: every registered method)
     * @param seeds        the fits' seeds, each method fitted once per seed
     */
    record Config(int iterationCap, int draws, int mmdDraws, List<String> methods, List<Long> seeds) {
        Config(int iterationCap, int draws, int mmdDraws, List<String> methods) { this(iterationCap, draws, mmdDraws, methods, List.of(SEED)); }

        static Config of(boolean quick) { return new Config(quick ? QUICK_CAP : 0, DRAWS, MMD_DRAWS, null); }

        static Config of(ReproOptions o) {
            return new Config(o.quick() ? QUICK_CAP : 0, DRAWS, MMD_DRAWS, o.methods().isEmpty() ? null : o.methods(), SeedStats.seeds(o, SEED));
        }
    }

    /** One fit (one method, one seed) of the table; {@code error} is non-null when the fit failed (then the metrics are NaN). */
    public record Row(String method, long seed, String preset, int iterations, int batch, double wallSeconds, double msPerIteration,
                      double finalObjective, MomentErrors moments, Mmd mmd, double testLogLikelihood, double testAccuracy, String error) {}

    /**
     * The published numbers for this table, per method. The papers present lr-waveform as marginal and pairwise
     * density plots against a reference sampler (Yin &amp; Zhou 2018 §5.2; Yu &amp; Zhang 2023 §5; Cheng et al. 2024 §6),
     * with no table of moment errors, MMD or test log-likelihood to print beside ours.
     */
    static final PaperValue PAPER = PaperValue.none("no published number: the SIVI, SIVI-SM and KSIVI papers show lr-waveform "
            + "as marginal/pairwise density plots against a reference sampler (no table of these metrics)");

    /** A registered method that was not fitted, and why. */
    public record Skipped(String method, String note) {}

    public record Result(List<Row> rows, List<Skipped> skipped) {}

    /** Runs the comparison and writes outDir/result.json and outDir/result.md. */
    public static Result run(boolean quick, Path outDir) throws IOException {
        return run(Config.of(quick), quick, outDir, Progress.SILENT);
    }

    /** {@code sivi repro lr-waveform}: honours --quick, --seeds and --methods. */
    public static Result run(ReproOptions o, Path outDir) throws IOException {
        return run(Config.of(o), o.quick(), outDir, Progress.SILENT);
    }

    static Result run(Config cfg, boolean quick, Path outDir, Progress progress) throws IOException {
        Result r = compare(cfg, progress);
        write(r, quick, outDir);
        return r;
    }

    static Result compare(Config cfg, Progress progress) {
        LogisticRegression target = LogisticRegression.builtIn(TARGET);
        ReferenceDraws ref = ReferenceDraws.load(TARGET).orElseThrow(() -> new IllegalStateException("no reference draws " + ReferenceDraws.resource(TARGET)));
        if (!ref.names().equals(target.names())) throw new IllegalStateException("reference columns " + ref.names() + " != target " + target.names());
        double[][] nuts = ref.draws();
        double[][] nutsMmd = every(nuts, Math.max(1, nuts.length / cfg.mmdDraws()), cfg.mmdDraws());

        List<Row> rows = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<String> methods = cfg.methods() != null ? cfg.methods() : new ArrayList<>(Registry.methods().keySet());
        for (String m : methods) {
            var preset = Registry.defaultPreset(m, TARGET);
            if (preset.isEmpty()) { skipped.add(new Skipped(m, "no " + m + "-" + TARGET + " preset registered")); continue; }
            for (long seed : cfg.seeds()) rows.add(fitOne(preset.get(), seed, target, nuts, nutsMmd, cfg, progress));
        }

        // NUTS itself: test metrics of all draws; moments and MMD of the first half against the second half
        int h = nuts.length / 2;
        double[][] a = Arrays.copyOfRange(nuts, 0, h), b = Arrays.copyOfRange(nuts, h, 2 * h);
        int step = Math.max(1, h / cfg.mmdDraws());
        Predictive.Classification pc = target.testMetrics(nuts);
        rows.add(new Row("nuts-reference", 0, "", 0, 0, Double.NaN, Double.NaN, Double.NaN, MomentErrors.of(a, b),
                Mmd.rbf(every(a, step, cfg.mmdDraws()), every(b, step, cfg.mmdDraws())), pc.logLikelihood(), pc.accuracy(), null));
        return new Result(rows, skipped);
    }

    static Row fitOne(Preset p, long seed, LogisticRegression target, double[][] nuts, double[][] nutsMmd, Config cfg, Progress progress) {
        int its = cfg.iterationCap() > 0 ? Math.min(p.iterations(), cfg.iterationCap()) : p.iterations();
        int batch = Integer.parseInt(p.options().asMap().getOrDefault("batch", p.options().asMap().getOrDefault("particles", "0")));
        progress.note(p.name() + ": " + its + " iterations, seed " + seed);
        try {
            Fit fit = Sivi.method(p.method()).preset(p.name()).iterations(its).seed(seed).dtype(DType.F64).currentBackend().draws(cfg.draws())
                    .progress(progress).fit(target);
            double[][] w = fit.samples().toMatrix();
            for (double[] r : w) for (double v : r) if (!Double.isFinite(v)) throw new IllegalStateException("non-finite fitted draw");
            Predictive.Classification pc = target.testMetrics(w);
            Mmd mmd = Mmd.rbf(Arrays.copyOf(w, Math.min(w.length, cfg.mmdDraws())), nutsMmd);
            return new Row(p.method(), seed, p.name(), its, batch, fit.wallSeconds(), fit.msPerIteration(), fit.finalObjective(),
                    MomentErrors.of(w, nuts), mmd, pc.logLikelihood(), pc.accuracy(), null);
        } catch (RuntimeException e) {
            progress.note(p.name() + " failed: " + e);
            double nan = Double.NaN;
            return new Row(p.method(), seed, p.name(), its, batch, nan, nan, nan, new MomentErrors(nan, nan, nan, nan, nan, nan),
                    new Mmd(nan, nan, nan), nan, nan, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Up to n rows of x, every step-th from the first. */
    static double[][] every(double[][] x, int step, int n) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < x.length && out.size() < n; i += step) out.add(x[i]);
        return out.toArray(new double[0][]);
    }

    /** A per-fit number of the table: its result.json key and how to read it from a row. */
    private record Metric(String key, ToDoubleFunction<Row> get) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("wall_seconds", Row::wallSeconds), new Metric("ms_per_iteration", Row::msPerIteration),
            new Metric("final_objective", Row::finalObjective),
            new Metric("mean_err_max", x -> x.moments().meanMax()), new Metric("mean_err_rms", x -> x.moments().meanRms()),
            new Metric("sd_err_max", x -> x.moments().sdMax()), new Metric("sd_err_rms", x -> x.moments().sdRms()),
            new Metric("corr_err_max", x -> x.moments().corrMax()), new Metric("corr_err_rms", x -> x.moments().corrRms()),
            new Metric("mmd2", x -> x.mmd().mmd2()), new Metric("mmd2_se", x -> x.mmd().standardError()),
            new Metric("mmd_bandwidth", x -> x.mmd().bandwidth()),
            new Metric("test_log_likelihood", Row::testLogLikelihood), new Metric("test_accuracy", Row::testAccuracy));

    /** The rows of each method (one per seed), methods in table order. */
    static Map<String, List<Row>> byMethod(Result r) {
        Map<String, List<Row>> m = new LinkedHashMap<>();
        for (Row x : r.rows()) m.computeIfAbsent(x.method(), k -> new ArrayList<>()).add(x);
        return m;
    }

    /** Mean ± sd over a method's seeds of one metric. */
    static SeedStats stats(List<Row> runs, ToDoubleFunction<Row> get) {
        return SeedStats.of(runs.stream().mapToDouble(get).toArray());
    }

    private static Map<String, Object> metrics(Row x) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Metric k : METRICS) m.put(k.key(), k.get().applyAsDouble(x));
        return m;
    }

    static void write(Result r, boolean quick, Path outDir) throws IOException {
        List<Long> seeds = r.rows().stream().filter(x -> !x.method().equals("nuts-reference")).map(Row::seed).distinct().toList();
        boolean multi = seeds.size() > 1;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", TARGET);
        out.put("quick", quick);
        if (multi) out.put("seeds", seeds); else out.put("seed", seeds.isEmpty() ? SEED : seeds.get(0));
        out.put("dtype", "f64");
        out.put("iterations_rule", quick ? "min(preset iterations, " + QUICK_CAP + ")" : "preset iterations");
        out.put("reference", "NUTS draws " + ReferenceDraws.resource(TARGET));
        List<Object> rs = new ArrayList<>();
        for (List<Row> runs : byMethod(r).values()) {
            Row x = runs.get(0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", x.method());
            m.put("preset", x.preset());
            m.put("iterations", x.iterations());
            m.put("batch", x.batch());
            if (runs.size() == 1) m.putAll(metrics(x));
            else for (Metric k : METRICS) {
                SeedStats st = stats(runs, k.get());
                m.put(k.key(), st.mean());
                m.put(k.key() + "_sd", st.sd());
            }
            if (x.method().equals("nuts-reference")) m.put("note", "test metrics of all NUTS draws; moment errors and MMD2: first half vs second half of the NUTS draws (noise floor)");
            else m.put("paper", PAPER.toJson());
            List<String> errors = runs.stream().filter(y -> y.error() != null).map(y -> runs.size() > 1 ? "seed " + y.seed() + ": " + y.error() : y.error()).toList();
            if (!errors.isEmpty()) m.put("error", String.join("; ", errors));
            if (runs.size() > 1) {
                List<Object> per = new ArrayList<>();
                for (Row y : runs) {
                    Map<String, Object> ps = new LinkedHashMap<>();
                    ps.put("seed", y.seed());
                    ps.putAll(metrics(y));
                    if (y.error() != null) ps.put("error", y.error());
                    per.add(ps);
                }
                m.put("per_seed", per);
            }
            rs.add(m);
        }
        out.put("rows", rs);
        List<Object> sk = new ArrayList<>();
        for (Skipped s : r.skipped()) sk.add(new LinkedHashMap<>(Map.of("method", s.method(), "note", s.note())));
        out.put("skipped", sk);
        out.put("source", "Yin & Zhou 2018 (SIVI) 5.2, Yu & Zhang 2023 (SIVI-SM), Cheng et al. 2024 (KSIVI): BLR on waveform vs NUTS");
        ResultFiles.writeJson(outDir, out);
        ResultFiles.writeText(outDir, "result.md", markdown(r, quick));
    }

    static String markdown(Result r, boolean quick) {
        Map<String, List<Row>> groups = byMethod(r);
        List<Long> seeds = r.rows().stream().filter(x -> !x.method().equals("nuts-reference")).map(Row::seed).distinct().toList();
        String seedText = seeds.size() > 1 ? "seeds " + seeds.get(0) + "–" + seeds.get(seeds.size() - 1) + ", mean ± sd" : "seed " + (seeds.isEmpty() ? SEED : seeds.get(0));
        StringBuilder b = new StringBuilder();
        b.append("# lr-waveform: methods vs NUTS (f64, ").append(seedText).append(quick ? ", quick: min(preset, " + QUICK_CAP + ") iterations" : ", full presets").append(")\n\n");
        b.append("| method | iterations | batch | wall s | ms/it | mean err max/rms | sd err max/rms | corr err max/rms | MMD² ± SE | test LL | accuracy | paper |\n");
        b.append("|---|---:|---:|---:|---:|---|---|---|---|---:|---:|---|\n");
        for (List<Row> runs : groups.values()) {
            Row x = runs.get(0);
            boolean nuts = x.method().equals("nuts-reference");
            b.append("| ").append(x.method()).append(nuts ? " (half vs half)" : "")
                    .append(" | ").append(nuts ? "" : Integer.toString(x.iterations()))
                    .append(" | ").append(nuts ? "" : Integer.toString(x.batch()))
                    .append(" | ").append(cell(runs, Row::wallSeconds, "%.1f")).append(" | ").append(cell(runs, Row::msPerIteration, "%.2f"))
                    .append(" | ").append(cell(runs, y -> y.moments().meanMax(), "%.3f")).append(" / ").append(cell(runs, y -> y.moments().meanRms(), "%.3f"))
                    .append(" | ").append(cell(runs, y -> y.moments().sdMax(), "%.3f")).append(" / ").append(cell(runs, y -> y.moments().sdRms(), "%.3f"))
                    .append(" | ").append(cell(runs, y -> y.moments().corrMax(), "%.3f")).append(" / ").append(cell(runs, y -> y.moments().corrRms(), "%.3f"))
                    .append(" | ").append(runs.size() > 1 ? cell(runs, y -> y.mmd().mmd2(), "%.4f")
                            : f(x.mmd().mmd2(), "%.4f") + " ± " + f(x.mmd().standardError(), "%.4f"))
                    .append(" | ").append(cell(runs, Row::testLogLikelihood, "%.4f")).append(" | ").append(cell(runs, Row::testAccuracy, "%.4f"))
                    .append(" | ").append(nuts ? "" : PAPER.format("%.4f")).append(" |");
            for (Row y : runs) if (y.error() != null) b.append(" failed").append(runs.size() > 1 ? " (seed " + y.seed() + ")" : "").append(": ").append(y.error().replace('|', '/'));
            b.append('\n');
        }
        if (!r.skipped().isEmpty()) {
            b.append("\nNot fitted (no lr-waveform preset): ");
            b.append(String.join(", ", r.skipped().stream().map(Skipped::method).toList())).append(".\n");
        }
        b.append("\nMoment errors and MMD² are against all NUTS draws (MMD: ").append(MMD_DRAWS).append(" draws per side); the nuts-reference row compares the two halves of the NUTS draws (noise floor).");
        if (seeds.size() > 1) b.append(" Cells are mean ± sd over the seeds (sd between seeds, not a standard error).");
        b.append("\n\nPaper: ").append(PAPER.citation()).append(".\n");
        return b.toString();
    }

    /** A metric over a method's seeds: mean ± sd, or the single value. */
    private static String cell(List<Row> runs, ToDoubleFunction<Row> get, String fmt) { return stats(runs, get).format(fmt); }

    private static String f(double v, String fmt) { return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, fmt, v) : "–"; }

    /**
     * Prints the table (the CLI exposes this as {@code sivi repro lr-waveform}).
     * Args: [--full] [--methods=a,b,…] [--seeds=N] [outDir]; {@code --methods} restricts the run to those methods,
     * {@code --seeds=N} fits each with seeds 1..N. Prints progress to stderr (the CLI's run is silent).
     */
    public static void main(String[] args) throws IOException {
        boolean full = List.of(args).contains("--full");
        List<String> methods = List.of(args).stream().filter(a -> a.startsWith("--methods=")).findFirst()
                .map(a -> List.of(a.substring("--methods=".length()).split(","))).orElse(null);
        int seeds = List.of(args).stream().filter(a -> a.startsWith("--seeds=")).findFirst().map(a -> Integer.parseInt(a.substring("--seeds=".length()))).orElse(0);
        Path out = Path.of(List.of(args).stream().filter(a -> !a.startsWith("--")).findFirst().orElse("repro-lr-waveform"));
        long t0 = System.nanoTime();
        Progress progress = new Progress() {
            @Override public void iteration(int it, int total, double objective, double elapsed) {
                if (it % 500 == 0 || it == total) System.err.printf("  %d/%d objective %.4g  %.1f s%n", it, total, objective, elapsed);
            }
            @Override public void note(String message) { System.err.println(message); }
        };
        Config c = Config.of(new ReproOptions(!full, seeds, List.of(), methods == null ? List.of() : methods));
        Result r = run(c, !full, out, progress);
        System.out.print(markdown(r, !full));
        System.out.printf("%.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
