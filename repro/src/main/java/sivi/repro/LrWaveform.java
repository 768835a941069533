package sivi.repro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * double precision), seed {@value #SEED}, and compared with the shipped NUTS reference draws
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
 * <p>Writes {@code result.json} = {"target", "quick", "seed", "dtype", "rows": [...], "skipped": [...]}
 * and {@code result.md} (a markdown table).
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
     */
    record Config(int iterationCap, int draws, int mmdDraws, List<String> methods) {
        static Config of(boolean quick) { return new Config(quick ? QUICK_CAP : 0, DRAWS, MMD_DRAWS, null); }
    }

    /** One row of the table; {@code error} is non-null when the fit failed (then the metrics are NaN). */
    public record Row(String method, String preset, int iterations, int batch, double wallSeconds, double msPerIteration,
                      double finalObjective, MomentErrors moments, Mmd mmd, double testLogLikelihood, double testAccuracy, String error) {}

    /** A registered method that was not fitted, and why. */
    public record Skipped(String method, String note) {}

    public record Result(List<Row> rows, List<Skipped> skipped) {}

    /** Runs the comparison and writes outDir/result.json and outDir/result.md. */
    public static Result run(boolean quick, Path outDir) throws IOException {
        return run(Config.of(quick), quick, outDir, Progress.SILENT);
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
            rows.add(fitOne(preset.get(), target, nuts, nutsMmd, cfg, progress));
        }

        // NUTS itself: test metrics of all draws; moments and MMD of the first half against the second half
        int h = nuts.length / 2;
        double[][] a = Arrays.copyOfRange(nuts, 0, h), b = Arrays.copyOfRange(nuts, h, 2 * h);
        int step = Math.max(1, h / cfg.mmdDraws());
        Predictive.Classification pc = target.testMetrics(nuts);
        rows.add(new Row("nuts-reference", "", 0, 0, Double.NaN, Double.NaN, Double.NaN, MomentErrors.of(a, b),
                Mmd.rbf(every(a, step, cfg.mmdDraws()), every(b, step, cfg.mmdDraws())), pc.logLikelihood(), pc.accuracy(), null));
        return new Result(rows, skipped);
    }

    static Row fitOne(Preset p, LogisticRegression target, double[][] nuts, double[][] nutsMmd, Config cfg, Progress progress) {
        int its = cfg.iterationCap() > 0 ? Math.min(p.iterations(), cfg.iterationCap()) : p.iterations();
        int batch = Integer.parseInt(p.options().asMap().getOrDefault("batch", p.options().asMap().getOrDefault("particles", "0")));
        progress.note(p.name() + ": " + its + " iterations");
        try {
            Fit fit = Sivi.method(p.method()).preset(p.name()).iterations(its).seed(SEED).dtype(DType.F64).currentBackend().draws(cfg.draws())
                    .progress(progress).fit(target);
            double[][] w = fit.samples().toMatrix();
            for (double[] r : w) for (double v : r) if (!Double.isFinite(v)) throw new IllegalStateException("non-finite fitted draw");
            Predictive.Classification pc = target.testMetrics(w);
            Mmd mmd = Mmd.rbf(Arrays.copyOf(w, Math.min(w.length, cfg.mmdDraws())), nutsMmd);
            return new Row(p.method(), p.name(), its, batch, fit.wallSeconds(), fit.msPerIteration(), fit.finalObjective(),
                    MomentErrors.of(w, nuts), mmd, pc.logLikelihood(), pc.accuracy(), null);
        } catch (RuntimeException e) {
            progress.note(p.name() + " failed: " + e);
            double nan = Double.NaN;
            return new Row(p.method(), p.name(), its, batch, nan, nan, nan, new MomentErrors(nan, nan, nan, nan, nan, nan),
                    new Mmd(nan, nan, nan), nan, nan, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Up to n rows of x, every step-th from the first. */
    static double[][] every(double[][] x, int step, int n) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < x.length && out.size() < n; i += step) out.add(x[i]);
        return out.toArray(new double[0][]);
    }

    static void write(Result r, boolean quick, Path outDir) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", TARGET);
        out.put("quick", quick);
        out.put("seed", SEED);
        out.put("dtype", "f64");
        out.put("iterations_rule", quick ? "min(preset iterations, " + QUICK_CAP + ")" : "preset iterations");
        out.put("reference", "NUTS draws " + ReferenceDraws.resource(TARGET));
        List<Object> rs = new ArrayList<>();
        for (Row x : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", x.method());
            m.put("preset", x.preset());
            m.put("iterations", x.iterations());
            m.put("batch", x.batch());
            m.put("wall_seconds", x.wallSeconds());
            m.put("ms_per_iteration", x.msPerIteration());
            m.put("final_objective", x.finalObjective());
            MomentErrors e = x.moments();
            m.put("mean_err_max", e.meanMax());
            m.put("mean_err_rms", e.meanRms());
            m.put("sd_err_max", e.sdMax());
            m.put("sd_err_rms", e.sdRms());
            m.put("corr_err_max", e.corrMax());
            m.put("corr_err_rms", e.corrRms());
            m.put("mmd2", x.mmd().mmd2());
            m.put("mmd2_se", x.mmd().standardError());
            m.put("mmd_bandwidth", x.mmd().bandwidth());
            m.put("test_log_likelihood", x.testLogLikelihood());
            m.put("test_accuracy", x.testAccuracy());
            if (x.method().equals("nuts-reference")) m.put("note", "test metrics of all NUTS draws; moment errors and MMD2: first half vs second half of the NUTS draws (noise floor)");
            if (x.error() != null) m.put("error", x.error());
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
        StringBuilder b = new StringBuilder();
        b.append("# lr-waveform: methods vs NUTS (f64, seed ").append(SEED).append(quick ? ", quick: min(preset, " + QUICK_CAP + ") iterations" : ", full presets").append(")\n\n");
        b.append("| method | iterations | batch | wall s | ms/it | mean err max/rms | sd err max/rms | corr err max/rms | MMD² ± SE | test LL | accuracy |\n");
        b.append("|---|---:|---:|---:|---:|---|---|---|---|---:|---:|\n");
        for (Row x : r.rows()) {
            MomentErrors e = x.moments();
            boolean nuts = x.method().equals("nuts-reference");
            b.append("| ").append(x.method()).append(nuts ? " (half vs half)" : "")
                    .append(" | ").append(nuts ? "" : Integer.toString(x.iterations()))
                    .append(" | ").append(nuts ? "" : Integer.toString(x.batch()))
                    .append(" | ").append(f(x.wallSeconds(), "%.1f")).append(" | ").append(f(x.msPerIteration(), "%.2f"))
                    .append(" | ").append(f(e.meanMax(), "%.3f")).append(" / ").append(f(e.meanRms(), "%.3f"))
                    .append(" | ").append(f(e.sdMax(), "%.3f")).append(" / ").append(f(e.sdRms(), "%.3f"))
                    .append(" | ").append(f(e.corrMax(), "%.3f")).append(" / ").append(f(e.corrRms(), "%.3f"))
                    .append(" | ").append(f(x.mmd().mmd2(), "%.4f")).append(" ± ").append(f(x.mmd().standardError(), "%.4f"))
                    .append(" | ").append(f(x.testLogLikelihood(), "%.4f")).append(" | ").append(f(x.testAccuracy(), "%.4f")).append(" |");
            if (x.error() != null) b.append(" failed: ").append(x.error().replace('|', '/'));
            b.append('\n');
        }
        if (!r.skipped().isEmpty()) {
            b.append("\nNot fitted (no lr-waveform preset): ");
            b.append(String.join(", ", r.skipped().stream().map(Skipped::method).toList())).append(".\n");
        }
        b.append("\nMoment errors and MMD² are against all NUTS draws (MMD: ").append(MMD_DRAWS).append(" draws per side); the nuts-reference row compares the two halves of the NUTS draws (noise floor).\n");
        return b.toString();
    }

    private static String f(double v, String fmt) { return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, fmt, v) : "–"; }

    /**
     * Prints the table (the CLI exposes this as {@code sivi repro lr-waveform}).
     * Args: [--full] [--methods=a,b,…] [outDir]; {@code --methods} restricts the run to those methods.
     */
    public static void main(String[] args) throws IOException {
        boolean full = List.of(args).contains("--full");
        List<String> methods = List.of(args).stream().filter(a -> a.startsWith("--methods=")).findFirst()
                .map(a -> List.of(a.substring("--methods=".length()).split(","))).orElse(null);
        Path out = Path.of(List.of(args).stream().filter(a -> !a.startsWith("--")).findFirst().orElse("repro-lr-waveform"));
        long t0 = System.nanoTime();
        Progress progress = new Progress() {
            @Override public void iteration(int it, int total, double objective, double elapsed) {
                if (it % 500 == 0 || it == total) System.err.printf("  %d/%d objective %.4g  %.1f s%n", it, total, objective, elapsed);
            }
            @Override public void note(String message) { System.err.println(message); }
        };
        Config c = Config.of(!full);
        Result r = run(new Config(c.iterationCap(), c.draws(), c.mmdDraws(), methods), !full, out, progress);
        System.out.print(markdown(r, !full));
        System.out.printf("%.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
