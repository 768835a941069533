package sivi.repro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.kernels.Rng;
import sivi.methods.Bbvi;
import sivi.targets.Gaussian;
import sivi.targets.Linalg;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;

/**
 * The variance of the mean-field ELBO gradient estimators of BBVI (Ranganath et al. 2014; docs/algorithms.md#bbvi)
 * at a fixed q and the same S draws per estimate: score function, + control variate, Rao-Blackwellised,
 * Rao-Blackwellised + control variate, and the reparameterisation gradient. Targets: the correlated 10-d Gaussian
 * ("gaussian") and lr-waveform (full batch). q: the initial q of the bbvi preset (μ = 0, log σ = log_sigma_init)
 * and a q near the optimum (the Gaussian: the exact mean-field optimum μ = m, σ_i = 1/√Λ_ii; lr-waveform: the
 * ADVI preset's fit). Each cell is the total variance Σ_j Var(ĝ_j) over R independent estimates, for the μ block
 * and the log σ block separately, with the ratio to the reparameterisation gradient's.
 * Writes result.json and table.md.
 */
public final class BbviVariance {
    private BbviVariance() {}

    record Config(int draws, int repeats, int adviIterations) {
        static Config of(boolean quick) { return quick ? new Config(100, 40, 200) : new Config(100, 1000, 5000); }
    }

    /** One cell: target, which q, estimator, total variance of the μ and log σ blocks. */
    public record Row(String target, String q, String estimator, double varMu, double varLogSigma) {}

    public static List<Row> run(boolean quick, Path out) throws IOException {
        Config cfg = Config.of(quick);
        List<Row> rows = table(cfg);
        write(rows, cfg, quick, out);
        return rows;
    }

    static List<Row> table(Config cfg) {
        List<Row> rows = new ArrayList<>();
        Gaussian g = (Gaussian) Targets.create("gaussian");
        int d = g.dim();
        double[] inv = Linalg.inverseFromCholesky(Linalg.cholesky(g.covariance(), d), d);
        double[] optOmega = new double[d];
        for (int i = 0; i < d; i++) optOmega[i] = -0.5 * Math.log(inv[i * d + i]);
        rows.addAll(cells(g, "initial", new double[d], new double[d], cfg));
        rows.addAll(cells(g, "mean-field optimum", g.mean(), optOmega, cfg));

        Target lr = Targets.create("lr-waveform");
        int dl = lr.dim();
        double[] initOmega = new double[dl];
        java.util.Arrays.fill(initOmega, -2);                 // the bbvi-lr-waveform preset's log_sigma_init
        rows.addAll(cells(lr, "initial", new double[dl], initOmega, cfg));
        Fit advi = Sivi.method("advi").preset("advi-lr-waveform").iterations(cfg.adviIterations()).seed(1).dtype(DType.F64).fit(lr);
        rows.addAll(cells(lr, "ADVI fit (" + cfg.adviIterations() + " it)", advi.params().get("q.mu").toDoubleArray(),
                advi.params().get("q.log_sigma").toDoubleArray(), cfg));
        return rows;
    }

    static List<Row> cells(Target t, String qName, double[] mu, double[] omega, Config cfg) {
        List<Row> rows = new ArrayList<>();
        for (Bbvi.Estimator e : Bbvi.Estimator.values()) {
            Rng rng = Rng.of(7, e.ordinal());
            int d = mu.length;
            double[] s = new double[2 * d], s2 = new double[2 * d];
            for (int r = 0; r < cfg.repeats(); r++) {
                Bbvi.Gradient gr = Bbvi.gradient(e, t, mu, omega, cfg.draws(), rng, DType.F64);
                for (int j = 0; j < d; j++) {
                    s[j] += gr.mu()[j]; s2[j] += gr.mu()[j] * gr.mu()[j];
                    s[d + j] += gr.logSigma()[j]; s2[d + j] += gr.logSigma()[j] * gr.logSigma()[j];
                }
            }
            double vm = 0, vo = 0, n = cfg.repeats();
            for (int j = 0; j < 2 * d; j++) {
                double v = (s2[j] - s[j] * s[j] / n) / (n - 1);
                if (j < d) vm += v; else vo += v;
            }
            rows.add(new Row(t.name(), qName, e.label, vm, vo));
        }
        return rows;
    }

    static String markdown(List<Row> rows, Config cfg) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Gradient variance of the mean-field ELBO estimators, S = %d draws per estimate, %d estimates per cell (f64).%n", cfg.draws(), cfg.repeats()));
        b.append("Total variance Σ_j Var(ĝ_j) of the μ block and the log σ block; ratio = variance / the reparameterisation gradient's.\n\n");
        b.append("| target | q | estimator | Var μ | ratio μ | Var log σ | ratio log σ |\n|---|---|---|---|---|---|---|\n");
        Map<String, Row> reparam = new LinkedHashMap<>();
        for (Row r : rows) if (r.estimator().equals(Bbvi.Estimator.REPARAM.label)) reparam.put(r.target() + "/" + r.q(), r);
        for (Row r : rows) {
            Row ref = reparam.get(r.target() + "/" + r.q());
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3g | %.3g | %.3g | %.3g |%n", r.target(), r.q(), r.estimator(),
                    r.varMu(), r.varMu() / ref.varMu(), r.varLogSigma(), r.varLogSigma() / ref.varLogSigma()));
        }
        return b.toString();
    }

    static void write(List<Row> rows, Config cfg, boolean quick, Path out) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("draws", cfg.draws());
        m.put("repeats", cfg.repeats());
        m.put("quick", quick);
        List<Object> rs = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("target", r.target());
            x.put("q", r.q());
            x.put("estimator", r.estimator());
            x.put("var_mu", r.varMu());
            x.put("var_log_sigma", r.varLogSigma());
            rs.add(x);
        }
        m.put("rows", rs);
        m.put("source", "Ranganath, Gerrish & Blei 2014 (BBVI), estimators of section 3; our targets and q");
        ResultFiles.writeJson(out, m);
        ResultFiles.writeText(out, "table.md", markdown(rows, cfg));
    }
}
