package sivi.repro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sivi.fit.Fit;
import sivi.fit.Preset;
import sivi.fit.Progress;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.metrics.Predictive;
import sivi.targets.BnnRegression;
import sivi.targets.Targets;

/**
 * The BNN regression table of the SIVI-SM and KSIVI papers on the UCI sets shipped (Boston housing, concrete): each
 * BNN preset ({@code ksivi-bnn-boston}, {@code ksivi-bnn-concrete}, {@code sivi-sm-bnn-boston-sm}: the reference scripts'
 * recipes, docs/algorithms.md#bnn) fitted on the papers' split (sklearn's {@code random_state=42}), and scored as the
 * scripts score it: test RMSE of the mean prediction of {@value #DRAWS} draws and the test log-likelihood (the
 * reference's quirk, see {@link BnnRegression}). Seeds 1..N ({@code --seeds}; default 5, quick 1); quick: 500
 * iterations. The papers' table values were not retrievable here, so the published column is empty with that reason;
 * the authors' code run on this machine is in docs/results/bnn-uci-session12/. Writes result.json and result.md.
 */
public final class BnnUci {
    private BnnUci() {}

    static final int DRAWS = 100, QUICK_ITERATIONS = 500, DEFAULT_SEEDS = 5;
    static final List<String> PRESETS = List.of("ksivi-bnn-boston", "sivi-sm-bnn-boston-sm", "ksivi-bnn-concrete");

    /** One preset over seeds: test RMSE and log-likelihood per seed, seconds per fit. */
    public record Row(String preset, String method, String target, int iterations, double[] rmse, double[] logLik, double[] seconds) {}

    public static List<Row> run(ReproOptions o, Path out) throws IOException {
        int seeds = o.seedsOr(o.quick() ? 1 : DEFAULT_SEEDS);
        List<Row> rows = new ArrayList<>();
        for (String name : PRESETS) {
            Preset p = Registry.preset(name);
            if (!o.methods().isEmpty() && !o.methods().contains(p.method())) continue;
            BnnRegression target = (BnnRegression) Targets.create(p.target());
            int its = o.quick() ? QUICK_ITERATIONS : p.iterations();
            double[] rmse = new double[seeds], ll = new double[seeds], secs = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                Fit f = Sivi.method(p.method()).preset(name).iterations(its).seed(s + 1).draws(DRAWS).currentBackend().progress(Progress.SILENT).fit(target);
                Predictive.Regression m = target.testMetrics(f.samples().toMatrix());
                rmse[s] = m.rmse();
                ll[s] = m.logLikelihood();
                secs[s] = f.wallSeconds();
            }
            rows.add(new Row(name, p.method(), p.target(), its, rmse, ll, secs));
        }
        write(rows, o.quick(), seeds, out);
        return rows;
    }

    static final PaperValue PUBLISHED = PaperValue.none("the test RMSE / log-likelihood tables of arXiv 2308.10014 and 2405.18997 could not be read "
            + "from here; the authors' code run on this machine: docs/results/bnn-uci-session12/README.md");

    static void write(List<Row> rows, boolean quick, int seeds, Path out) throws IOException {
        List<Object> rs = new ArrayList<>();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "BNN regression (50 ReLU units) on the papers' split; %d draws per fit; mean ± sd over %d seed(s); f32.%n%n"
                        + "| preset | iterations | test RMSE | test log-lik | published | seconds per fit |%n|---|---:|---:|---:|---|---:|%n", DRAWS, seeds));
        for (Row r : rows) {
            SeedStats a = SeedStats.of(r.rmse()), b = SeedStats.of(r.logLik()), t = SeedStats.of(r.seconds());
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("preset", r.preset());
            x.put("method", r.method());
            x.put("target", r.target());
            x.put("iterations", r.iterations());
            x.put("test_rmse", a.mean());
            x.put("test_rmse_sd", a.sd());
            x.put("test_log_lik", b.mean());
            x.put("test_log_lik_sd", b.sd());
            x.put("test_rmse_per_seed", r.rmse());
            x.put("test_log_lik_per_seed", r.logLik());
            x.put("seconds", t.mean());
            x.put("published", PUBLISHED.toJson());
            rs.add(x);
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.1f |%n", r.preset(), r.iterations(), a.format("%.3f"), b.format("%.3f"),
                    PUBLISHED.format("%.3f"), t.mean()));
        }
        md.append(String.format(Locale.ROOT, "%npublished: %s%n", PUBLISHED.citation()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rs);
        m.put("quick", quick);
        m.put("seeds", seeds);
        m.put("draws", DRAWS);
        m.put("source", "SIVI-SM (Yu & Zhang 2023) and KSIVI (Cheng et al. 2024) BNN experiments: the reference scripts' recipes");
        ResultFiles.writeJson(out, m);
        ResultFiles.writeText(out, "result.md", md.toString());
    }
}
