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
import sivi.fit.Progress;
import sivi.fit.Sivi;
import sivi.metrics.Mmd;
import sivi.metrics.Predictive;
import sivi.targets.BnnRegression;
import sivi.targets.LogisticRegression;
import sivi.targets.ReferenceDraws;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;

/**
 * Stochastic VI with data subsampling (README, --data-batch): ADVI at the same iteration budget with B rows of
 * the likelihood per iteration (epoch by epoch without replacement, scaled by n/B), B from the full data down,
 * with the preset's schedule and with Robbins–Monro steps ρ_t = ρ_0·((t + τ)/τ)^−κ, τ = 1000, κ = 0.75 (lr = ρ_0·τ^κ,
 * rm_tau = τ; ρ_0 the preset's lr, so both start alike). lr-waveform (n = 400; advi-lr-waveform
 * preset, f64): test accuracy and log-likelihood on the 4600 test rows and MMD² against the shipped NUTS draws;
 * bnn-boston (n = 409, d = 751; ADVI with 10 draws per step, lr 5e-3, log σ initialised at −3, f32, [ours]): test
 * RMSE and log-likelihood. Mean ± sd over seeds, and the wall time per fit. quick: 300 iterations, 1 seed;
 * full: 5000 (lr) and 3000 (bnn) iterations, 3 seeds. Writes result.json and table.md.
 */
public final class DataBatchSweep {
    private DataBatchSweep() {}

    static final int[] LR_BATCHES = {400, 200, 100, 50, 20, 10};
    static final int[] BNN_BATCHES = {409, 200, 100, 50, 20};

    /** One (target, schedule, B): metric means and sds over seeds, mean seconds per fit. */
    public record Row(String target, String schedule, int batch, double metric1, double metric1Sd, double metric2, double metric2Sd,
                      double metric3, double metric3Sd, double seconds) {}

    public static List<Row> run(boolean quick, Path out) throws IOException {
        int seeds = quick ? 1 : 3, lrIts = quick ? 300 : 5000, bnnIts = quick ? 300 : 3000;
        List<Row> rows = table(lrIts, bnnIts, seeds, LR_BATCHES, BNN_BATCHES, 1000);
        write(rows, quick, lrIts, bnnIts, seeds, out);
        return rows;
    }

    /** Fits with {@code draws} draws each (MMD² on up to 1000 of them against 1000 NUTS draws). */
    static List<Row> table(int lrIts, int bnnIts, int seeds, int[] lrBatches, int[] bnnBatches, int draws) {
        List<Row> rows = new ArrayList<>();
        LogisticRegression lr = (LogisticRegression) Targets.create("lr-waveform");
        ReferenceDraws ref = ReferenceDraws.load("lr-waveform").orElseThrow(() -> new IllegalStateException("no NUTS draws for lr-waveform"));
        double[][] nuts = LrWaveform.every(ref.draws(), 4, 1000);
        BnnRegression bnn = (BnnRegression) Targets.create("bnn-boston");
        for (String schedule : new String[] {"preset", "robbins-monro"}) {
            for (int b : lrBatches) rows.add(sweep("lr-waveform", schedule, 1e-2, b, seeds, draws, fit -> {
                double[][] w = fit.samples().toMatrix();
                Predictive.Classification pc = lr.testMetrics(w);
                return new double[] {pc.accuracy(), pc.logLikelihood(), Mmd.rbf(Arrays.copyOf(w, Math.min(w.length, 1000)), nuts).mmd2()};
            }, seed -> Sivi.method("advi").preset("advi-lr-waveform").iterations(lrIts).seed(seed).dtype(DType.F64), lr));
            for (int b : bnnBatches) rows.add(sweep("bnn-boston", schedule, 5e-3, b, seeds, draws, fit -> {
                Predictive.Regression pr = bnn.testMetrics(fit.samples().toMatrix());
                return new double[] {pr.rmse(), pr.logLikelihood(), Double.NaN};
            }, seed -> Sivi.method("advi").set("batch", 10).set("lr", 5e-3).set("log_sigma_init", -3).iterations(bnnIts).seed(seed), bnn));
        }
        return rows;
    }

    interface Metrics { double[] of(Fit fit); }

    interface Config { Sivi of(long seed); }

    static final double RM_TAU = 1000, RM_KAPPA = 0.75;

    static Row sweep(String name, String schedule, double lr0, int b, int seeds, int draws, Metrics metrics, Config config, Target target) {
        double[][] m = new double[3][seeds];
        double secs = 0;
        for (int s = 0; s < seeds; s++) {
            Sivi fit = config.of(s + 1).currentBackend().draws(draws).progress(Progress.SILENT);
            if (schedule.equals("robbins-monro"))
                fit = fit.set("lr_schedule", "robbins-monro").set("rm_tau", RM_TAU).set("rm_kappa", RM_KAPPA).set("lr", lr0 * Math.pow(RM_TAU, RM_KAPPA));
            Fit f = fit.fit(target.withDataBatch(b));
            secs += f.wallSeconds() / seeds;
            double[] v = metrics.of(f);
            for (int k = 0; k < 3; k++) m[k][s] = v[k];
        }
        SeedStats a = SeedStats.of(m[0]), c = SeedStats.of(m[1]), d = SeedStats.of(m[2]);
        return new Row(name, schedule, b, a.mean(), a.sd(), c.mean(), c.sd(), d.mean(), d.sd(), secs);
    }

    static void write(List<Row> rows, boolean quick, int lrIts, int bnnIts, int seeds, Path out) throws IOException {
        List<Object> rs = new ArrayList<>();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "ADVI with B data rows per iteration (epoch-wise without replacement, scale n/B); mean ± sd over %d seed(s); "
                        + "robbins-monro: ρ_t = ρ_0·((t + 1000)/1000)^-0.75 from the same ρ_0; "
                        + "lr-waveform %d iterations (advi-lr-waveform preset, f64), bnn-boston %d iterations (f32).%n%n"
                        + "| target | schedule | B | test accuracy / RMSE | test log-lik | MMD² vs NUTS | seconds per fit |%n|---|---|---|---|---|---|---|%n",
                seeds, lrIts, bnnIts));
        for (Row r : rows) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("target", r.target());
            x.put("schedule", r.schedule());
            x.put("data_batch", r.batch());
            x.put(r.target().startsWith("lr") ? "test_accuracy" : "test_rmse", r.metric1());
            x.put("test_log_lik", r.metric2());
            if (r.target().startsWith("lr")) x.put("mmd2", r.metric3());
            x.put("seconds", Math.round(r.seconds() * 100) / 100.0);
            rs.add(x);
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.2f |%n", r.target(), r.schedule(), r.batch(),
                    pm(r.metric1(), r.metric1Sd()), pm(r.metric2(), r.metric2Sd()), Double.isNaN(r.metric3()) ? "–" : pm(r.metric3(), r.metric3Sd()), r.seconds()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rs);
        m.put("quick", quick);
        m.put("seeds", seeds);
        m.put("iterations", Map.of("lr-waveform", lrIts, "bnn-boston", bnnIts));
        m.put("source", "ours: stochastic VI with data subsampling (Hoffman et al. 2013), ADVI, same iteration budget per B");
        ResultFiles.writeJson(out, m);
        ResultFiles.writeText(out, "table.md", md.toString());
    }

    private static String pm(double mean, double sd) {
        return Double.isNaN(sd) ? String.format(Locale.ROOT, "%.4f", mean) : String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
    }
}
