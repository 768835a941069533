package sivi.repro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sivi.diffusion.eval.Figures;
import sivi.fit.Fit;
import sivi.fit.Progress;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.fit.Whitening;
import sivi.metrics.PosteriorComparison;
import sivi.posteriordb.Posteriors;
import sivi.posteriordb.References;
import sivi.targets.Target;
import sivi.tensor.DType;

/**
 * {@code sivi repro posteriordb}: every method on the posteriordb posteriors, scored against reference
 * draws as the Pathfinder paper does (Zhang, Carpenter, Gelman &amp; Vehtari 2022, JMLR §4): draws are
 * standardised by the reference mean and sd per output (Stan's constrained parameters), then
 * {@link PosteriorComparison} gives z_mean_max, sd_ratio_worst, the 1-Wasserstein distance of the
 * marginals ({@code w1} = mean over outputs, {@code w1_max} = max) and the sliced W1.
 *
 * <p>Each fit goes through the one {@link Sivi}/Trainer path in f64 with the per-method budget of
 * {@link #budget} (one table in the README), seed {@value #SEED}; the target is wrapped in a
 * {@link CountingTarget} so {@code evals} counts log-density and gradient rows. The reference is the
 * bundled posteriordb draws where there are some, else the project's NUTS run once and cached
 * ({@link References}; cache directory {@link #cacheDir}). A fit that throws or yields a non-finite draw is
 * a row with {@code "status":"failed: …"}; a NUTS reference with R-hat ≥ 1.01 fails every row of its posterior.
 */
public final class PosteriordbTable {
    private PosteriordbTable() {}

    public static final long SEED = 1;
    /** Fitted draws scored per row. */
    public static final int DRAWS = 2000;
    /** The table's methods, in column order; those not registered are skipped (and listed). */
    public static final List<String> METHODS = List.of("advi", "fullrank", "sivi", "iwhvi", "uivi", "svgd", "sivi-sm", "ksivi", "kpg", "hsivi",
            "laplace", "pathfinder", "flow", "bbvi");
    /** --quick: fast posteriors that have bundled reference draws. */
    public static final List<String> QUICK_POSTERIORS = List.of("eight_schools-eight_schools_noncentered", "gp_pois_regr-gp_regr", "sblrc-blr");
    /** Environment variable naming the NUTS cache directory. */
    public static final String CACHE_ENV = "SIVI_PDB_CACHE";

    /** A method's budget: iterations (full and --quick) and the options set on top of its defaults. */
    public record Budget(int iterations, int quickIterations, Map<String, String> options) {}

    // log σ starts at −2.3 (σ = 0.1, NumPyro's AutoNormal default): at σ = 1 arma11's MA recursion
    // overflows on the first draws and no Gaussian ELBO fit leaves its start (posteriordb-failures-session9.md)
    private static final Map<String, String> ELBO = Map.of("batch", "32", "lr", "0.02", "lr_gamma", "0.5", "lr_step", "1000", "log_sigma_init", "-2.3");
    private static final Map<String, String> SIMI = Map.of("batch", "32", "lr", "0.005", "lr_gamma", "0.5", "lr_step", "1000");
    private static final Map<String, String> SCORE = Map.of("batch", "128", "lr", "0.005", "lr_gamma", "0.5", "lr_step", "1000");
    private static final Map<String, Budget> BUDGETS = Map.of(
            "advi", new Budget(1000, 300, ELBO),
            "fullrank", new Budget(1000, 300, ELBO),
            "sivi", new Budget(1000, 300, with(SIMI, "k", "32")),
            "iwhvi", new Budget(1000, 300, with(SIMI, "k", "10")),
            "uivi", new Budget(1000, 300, SIMI),
            "svgd", new Budget(500, 200, Map.of("particles", "100", "lr", "0.05")),
            "sivi-sm", new Budget(1000, 300, with(SCORE, "lr_f", "0.005")),
            "ksivi", new Budget(1000, 300, SCORE),
            "kpg", new Budget(1000, 300, SCORE),
            // HSIVI at its own lr 0.001: at 0.005 with one critic step per iteration its critic falls behind and the layers
            // diverge even on a whitened near-Gaussian posterior (mesquite, session 10); lr 0.001 or ftimes 5 are stable
            "hsivi", new Budget(1000, 300, with(SCORE, "lr", "0.001")));
    /** Methods without an entry above (added later): their own defaults, this many iterations. */
    private static final Budget OTHER = new Budget(1000, 300, Map.of());

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> r = new LinkedHashMap<>(m);
        r.put(k, v);
        return Map.copyOf(r);
    }

    /** The budget of a method (its own defaults for methods not in the table). */
    public static Budget budget(String method) { return BUDGETS.getOrDefault(method, OTHER); }

    /** The NUTS cache: $SIVI_PDB_CACHE, else ~/.cache/sivi/posteriordb-nuts. */
    public static Path cacheDir() {
        String env = System.getenv(CACHE_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "sivi", "posteriordb-nuts");
    }

    /**
     * One run.
     *
     * @param iterationCap caps every budget (≤ 0: no cap; tests use a tiny one)
     */
    record Config(List<String> posteriors, List<String> methods, boolean quick, int iterationCap, int draws, Path cache, int nutsThreads, boolean standardize) {
        Config(List<String> posteriors, List<String> methods, boolean quick, int iterationCap, int draws, Path cache, int nutsThreads) {
            this(posteriors, methods, quick, iterationCap, draws, cache, nutsThreads, false);
        }
    }

    /**
     * --standardize: every method fits the posterior in whitened coordinates u = L⁻¹(x − m), m and LLᵀ the mean and
     * covariance of a Laplace fit's draws ({@link Whitening}), and the evaluations that fit cost.
     */
    public record Standardization(Whitening.Result map, long evals) {}

    /** The option rows of a standardised run carry (standardize=…). */
    static final String STANDARDIZE_OPTION = "laplace-whitened";

    /** One cell of the table; {@code cmp} is null unless the status is "ok". */
    public record Row(String posterior, String method, String reference, int iterations, Map<String, String> options, String status,
                      PosteriorComparison cmp, long evals, long hvps, double seconds, double finalObjective) {}

    /** The experiment behind {@code sivi repro posteriordb}. */
    public static void run(ReproOptions o, Path out) throws IOException {
        Config c = new Config(posteriors(o.posteriors(), o.quick()), methods(o.methods()), o.quick(), 0, DRAWS, cacheDir(), 2, o.standardize());
        run(c, out, logger());
    }

    /** The posteriors to run: the given ones (each checked), else the quick list or all 45. */
    static List<String> posteriors(List<String> given, boolean quick) {
        if (given.isEmpty()) return quick ? QUICK_POSTERIORS : Posteriors.names();
        for (String p : given)
            if (!Posteriors.names().contains(p))
                throw new IllegalArgumentException("unknown posterior '" + p + "' (known: " + String.join(", ", Posteriors.names()) + ")");
        return List.copyOf(given);
    }

    /** The methods to run: the given ones (each must be registered), else every registered one of {@link #METHODS}. */
    static List<String> methods(List<String> given) {
        List<String> known = METHODS.stream().filter(m -> Registry.find(m).isPresent()).toList();
        if (given.isEmpty()) return known;
        for (String m : given)
            if (!known.contains(m)) throw new IllegalArgumentException("unknown method '" + m + "' for the posteriordb table (known: " + String.join(", ", known) + ")");
        return List.copyOf(given);
    }

    static List<Row> run(Config c, Path out, Progress progress) throws IOException {
        Map<String, Object> refs = new LinkedHashMap<>();
        List<Row> done = previous(c, out, refs, false);
        List<Row> rows = new ArrayList<>(done);
        for (String p : c.posteriors()) {
            if (c.methods().stream().allMatch(m -> find(done, p, m) != null)) continue;
            Target t = Posteriors.create(p);
            References.Reference ref;
            String refusal;
            try {
                progress.note(p + ": reference");
                ref = References.of(p, t, c.cache(), c.nutsThreads());
                refusal = ref.refusal();
            } catch (RuntimeException e) {
                ref = null;
                refusal = "NUTS reference failed: " + oneLine(e);
            }
            Standardization std = null;
            if (refusal == null && c.standardize()) {
                try {
                    progress.note(p + ": standardisation");
                    std = standardization(c, p);
                } catch (RuntimeException e) {
                    refusal = "standardisation failed: " + oneLine(e);
                }
            }
            Map<String, Object> refJson = ref == null ? new LinkedHashMap<>(Map.of("status", refusal)) : referenceJson(ref, refusal);
            if (std != null) {
                Map<String, Object> w = std.map().toJson();
                w.put("evals", std.evals());
                refJson.put("standardize", w);
            }
            refs.put(p, refJson);
            for (String m : c.methods()) {
                if (find(done, p, m) != null) continue;
                Row r = refusal != null ? new Row(p, m, ref == null ? "nuts" : ref.source(), 0, Map.of(), "failed: " + refusal, null, 0, 0, Double.NaN, Double.NaN)
                        : fitOne(c, p, m, ref, std, progress);
                progress.note(p + " " + m + ": " + r.status() + (r.cmp() != null ? String.format(Locale.ROOT, " w1 %.3f, %.1f s", r.cmp().w1MarginalMean(), r.seconds()) : "")
                        + (warning(r) != null ? "; " + warning(r) : ""));
                rows.add(r);
                write(c, rows, refs, out);   // after every row: a long run's partial table survives an interruption
            }
        }
        return rows;
    }

    private static Row find(List<Row> rows, String posterior, String method) {
        for (Row r : rows) if (r.posterior().equals(posterior) && r.method().equals(method)) return r;
        return null;
    }

    /**
     * The rows of an earlier run in the same directory with the same budgets (quick or not, same draws):
     * a run continues where an interrupted one stopped, and runs over disjoint posteriors can share a directory.
     * Failed rows, and rows of another iteration budget, are run again.
     */
    @SuppressWarnings("unchecked")
    static List<Row> previous(Config c, Path out, Map<String, Object> refs, boolean keepFailed) throws IOException {
        Path f = out.resolve("result.json");
        List<Row> rows = new ArrayList<>();
        if (!java.nio.file.Files.exists(f)) return rows;
        Map<String, Object> o;
        try { o = (Map<String, Object>) sivi.data.Json.parse(java.nio.file.Files.readString(f)); }
        catch (RuntimeException e) { throw new sivi.data.DataException(f + ": not a result.json of this experiment: " + e.getMessage()); }
        if (!"posteriordb".equals(o.get("experiment")) || !Boolean.valueOf(c.quick()).equals(o.get("quick"))
                || ((Number) o.get("draws")).intValue() != c.draws() || c.standardize() != Boolean.TRUE.equals(o.get("standardize")))
            throw new sivi.data.DataException(f + " holds another experiment or budget (quick/draws/standardize differ): use another --out");
        if (o.get("references") instanceof Map<?, ?> m) refs.putAll((Map<String, Object>) m);
        for (Object x : (List<Object>) o.get("rows")) {
            Map<String, Object> r = (Map<String, Object>) x;
            String status = (String) r.get("status");
            Budget b = budget((String) r.get("method"));
            boolean ok = status.equals("ok");
            Map<String, String> opts = new LinkedHashMap<>();
            ((Map<String, Object>) r.get("options")).forEach((k, v) -> opts.put(k, String.valueOf(v)));
            boolean sameBudget = num(r, "iterations").intValue() == iterations(c, b) && opts.equals(rowOptions(c, b));
            if (!keepFailed && (!ok || !sameBudget)) continue;   // failed, or another budget (iterations or options): fit again
            rows.add(new Row((String) r.get("posterior"), (String) r.get("method"), (String) r.get("reference"), num(r, "iterations").intValue(), opts, status,
                    !ok ? null : new PosteriorComparison(num(r, "z_mean_max").doubleValue(), num(r, "sd_ratio_worst").doubleValue(), num(r, "w1_max").doubleValue(),
                            num(r, "w1").doubleValue(), num(r, "w1_sliced").doubleValue()),
                    num(r, "evals").longValue(), num(r, "hvps").longValue(), num(r, "seconds").doubleValue(), num(r, "final_objective").doubleValue()));
        }
        return rows;
    }

    /**
     * {@code PosteriordbTable OUT DIR...}: the rows of runs over disjoint posteriors (same budgets) in one
     * table: OUT's result.json, result.md and heat map, nothing fitted; failed rows are kept.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) throw new IllegalArgumentException("usage: PosteriordbTable OUT DIR...");
        Config c = null;
        List<Row> rows = new ArrayList<>();
        Map<String, Object> refs = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            Map<?, ?> o = (Map<?, ?>) sivi.data.Json.parse(java.nio.file.Files.readString(Path.of(args[i], "result.json")));
            Config ci = new Config(List.of(), List.of(), Boolean.TRUE.equals(o.get("quick")), 0, ((Number) o.get("draws")).intValue(), cacheDir(), 1,
                    Boolean.TRUE.equals(o.get("standardize")));
            if (c != null && (c.quick() != ci.quick() || c.draws() != ci.draws() || c.standardize() != ci.standardize()))
                throw new IllegalArgumentException(args[i] + ": another budget (quick/draws/standardize) than " + args[1]);
            c = ci;
            for (Row r : previous(c, Path.of(args[i]), refs, true)) if (find(rows, r.posterior(), r.method()) == null) rows.add(r);
        }
        write(c, rows, refs, Path.of(args[0]));
    }

    private static Number num(Map<String, Object> r, String k) {
        Object v = r.get(k);
        return v instanceof Number n ? n : Double.NaN;
    }

    /** The options a row records: the budget's, and standardize=laplace-whitened when the run standardises. */
    static Map<String, String> rowOptions(Config c, Budget b) {
        if (!c.standardize()) return b.options();
        Map<String, String> r = new LinkedHashMap<>(b.options());
        r.put("standardize", STANDARDIZE_OPTION);
        return Map.copyOf(r);
    }

    private static int iterations(Config c, Budget b) {
        int its = c.quick() ? b.quickIterations() : b.iterations();
        return c.iterationCap() > 0 ? Math.min(its, c.iterationCap()) : its;
    }

    /**
     * m and L of --standardize ({@link Whitening#byLaplace}) at Laplace's table budget; its evaluations are counted
     * here and added to every row.
     */
    static Standardization standardization(Config c, String posterior) {
        CountingTarget t = new CountingTarget(Posteriors.create(posterior));
        Whitening.Result w = Whitening.byLaplace(t, iterations(c, budget("laplace")), budget("laplace").options(), SEED, c.draws());
        return new Standardization(w, t.evals());
    }

    static Row fitOne(Config c, String posterior, String method, References.Reference ref, Standardization std, Progress progress) {
        Budget b = budget(method);
        int its = iterations(c, b);
        Map<String, String> options = rowOptions(c, b);
        CountingTarget t = new CountingTarget(Posteriors.create(posterior));
        Target fitted = std == null ? t : std.map().target(t);
        long before = std == null ? 0 : std.evals();
        long t0 = System.nanoTime();
        try {
            Sivi s = Sivi.method(method).iterations(its).seed(SEED).dtype(DType.F64).currentBackend().draws(c.draws());
            for (var e : b.options().entrySet()) s.set(e.getKey(), e.getValue());
            Fit fit = s.fit(fitted);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (!t.outputNames().equals(ref.names()))
                throw new IllegalStateException("reference columns " + ref.names() + " != outputs " + t.outputNames());
            double[][] y = fitted.constrain(fit.samples()).toMatrix();
            for (double[] r : y) for (double v : r) if (!Double.isFinite(v)) throw new IllegalStateException("non-finite fitted draw");
            return new Row(posterior, method, ref.source(), its, options, "ok", PosteriorComparison.of(y, ref.draws()),
                    before + t.evals(), t.hvps(), secs, fit.finalObjective());
        } catch (RuntimeException e) {
            return new Row(posterior, method, ref.source(), its, options, "failed: " + oneLine(e), null, before + t.evals(), t.hvps(),
                    (System.nanoTime() - t0) / 1e9, Double.NaN);
        }
    }

    /** Beyond these the draws have left the posterior: a mean 10 reference sds off, or an sd 10× too wide or narrow. */
    static final double FAR_Z = 10, FAR_SD_RATIO = 10;

    /**
     * A finished fit whose draws are far from the reference (an exploded or collapsed fit) is still a row with
     * status "ok" (it ran); this says so in words, null when the draws are not far off or the row failed.
     */
    static String warning(Row r) {
        PosteriorComparison p = r.cmp();
        if (p == null) return null;
        boolean farMean = !(p.zMeanMax() <= FAR_Z), farSd = !(p.sdRatioWorst() <= FAR_SD_RATIO && p.sdRatioWorst() >= 1 / FAR_SD_RATIO);
        if (!farMean && !farSd) return null;
        return String.format(Locale.ROOT, "far off the reference (%s): diverged or collapsed fit",
                farMean ? String.format(Locale.ROOT, "a mean %.3g reference sds away", p.zMeanMax())
                        : String.format(Locale.ROOT, "an sd %.3g× the reference sd", p.sdRatioWorst()));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return m.replace('\n', ' ');
    }

    private static Map<String, Object> referenceJson(References.Reference r, String refusal) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", r.source());
        m.put("draws", r.draws().length);
        m.put("file", r.source().equals("nuts") ? Path.of(r.file()).getFileName().toString() : r.file());
        if (r.source().equals("nuts")) {
            m.put("rhat_max", r.rhatMax());
            m.put("divergences", r.divergences());
            m.put("nuts_seconds", r.seconds());
        }
        m.put("status", refusal == null ? "ok" : "refused: " + refusal);
        return m;
    }

    /** Rows in reading order: by posterior name, then in the table's method order (a resumed run appends out of order). */
    static List<Row> readingOrder(List<Row> rows) {
        return rows.stream().sorted(java.util.Comparator.comparing(Row::posterior).thenComparingInt(r -> {
            int i = METHODS.indexOf(r.method());
            return i < 0 ? METHODS.size() : i;
        })).toList();
    }

    static void write(Config c, List<Row> unordered, Map<String, Object> refs, Path out) throws IOException {
        List<Row> rows = readingOrder(unordered);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("experiment", "posteriordb");
        o.put("quick", c.quick());
        o.put("seed", SEED);
        o.put("dtype", "f64");
        o.put("draws", c.draws());
        o.put("standardize", c.standardize());
        o.put("w1", "mean over outputs of the exact 1-Wasserstein distance between standardised marginals (w1_max: the max; w1_sliced: "
                + PosteriorComparison.PROJECTIONS + " random directions)");
        o.put("evals", "log-density rows + gradient (score) rows the fit evaluated; hvps: Hessian-vector-product rows");
        List<Object> rs = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("posterior", r.posterior());
            m.put("method", r.method());
            m.put("reference", r.reference());
            m.put("status", r.status());
            m.put("warning", warning(r));
            PosteriorComparison p = r.cmp();
            m.put("z_mean_max", p == null ? Double.NaN : p.zMeanMax());
            m.put("sd_ratio_worst", p == null ? Double.NaN : p.sdRatioWorst());
            m.put("w1", p == null ? Double.NaN : p.w1MarginalMean());
            m.put("w1_max", p == null ? Double.NaN : p.w1MarginalMax());
            m.put("w1_sliced", p == null ? Double.NaN : p.w1Sliced());
            m.put("evals", r.evals());
            m.put("hvps", r.hvps());
            m.put("seconds", r.seconds());
            m.put("iterations", r.iterations());
            m.put("final_objective", r.finalObjective());
            m.put("options", new LinkedHashMap<>(new java.util.TreeMap<>(r.options())));
            rs.add(m);
        }
        o.put("rows", rs);
        o.put("references", refs);
        o.put("source", "Zhang, Carpenter, Gelman & Vehtari 2022 (Pathfinder, JMLR) section 4: VI methods on posteriordb scored by 1-Wasserstein distance to reference draws");
        ResultFiles.writeJson(out, o);
        ResultFiles.writeText(out, "result.md", markdown(c, rows));
        heatMap(c, rows, out.resolve("w1-heatmap.png"));
    }

    static String markdown(Config c, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("# posteriordb: methods vs reference draws (f64, seed ").append(SEED).append(c.quick() ? ", --quick budgets" : ", default budgets").append(c.standardize() ? ", --standardize (fits in coordinates whitened by a Laplace fit)" : "")
                .append(", ").append(c.draws()).append(" draws)\n\n");
        b.append("w1 = mean over outputs of the 1-Wasserstein distance between standardised marginals; w1 max = the worst output; ")
                .append("sliced = sliced W1 over ").append(PosteriorComparison.PROJECTIONS).append(" directions. ")
                .append("z = max |mean − ref mean| / ref sd; sd ratio = the sd / ref sd furthest from 1. evals = log-density + gradient rows.\n\n");
        b.append("| posterior | method | ref | w1 | w1 max | sliced | z | sd ratio | evals | s | status |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            PosteriorComparison p = r.cmp();
            b.append("| ").append(r.posterior()).append(" | ").append(r.method()).append(" | ").append(r.reference())
                    .append(" | ").append(f(p == null ? Double.NaN : p.w1MarginalMean()))
                    .append(" | ").append(f(p == null ? Double.NaN : p.w1MarginalMax()))
                    .append(" | ").append(f(p == null ? Double.NaN : p.w1Sliced()))
                    .append(" | ").append(f(p == null ? Double.NaN : p.zMeanMax()))
                    .append(" | ").append(f(p == null ? Double.NaN : p.sdRatioWorst()))
                    .append(" | ").append(r.evals()).append(" | ").append(String.format(Locale.ROOT, "%.1f", r.seconds()))
                    .append(" | ").append((warning(r) == null ? r.status() : r.status() + "; " + warning(r)).replace('|', '/')).append(" |\n");
        }
        // the heat map's numbers as a compact grid: methods × posteriors
        List<String> ps = rows.stream().map(Row::posterior).distinct().toList(), ms = rows.stream().map(Row::method).distinct().toList();
        b.append("\n## w1 (mean marginal W1), methods × posteriors\n\n| method |");
        for (String p : ps) b.append(' ').append(p).append(" |");
        b.append("\n|---|").append("---:|".repeat(ps.size())).append('\n');
        double[][] w = grid(rows, ms, ps);
        for (int i = 0; i < ms.size(); i++) {
            b.append("| ").append(ms.get(i)).append(" |");
            for (int j = 0; j < ps.size(); j++) {
                Row r = find(rows, ps.get(j), ms.get(i));
                b.append(' ').append(r == null ? "not run" : r.cmp() == null ? "fail" : f(w[i][j])).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static double[][] grid(List<Row> rows, List<String> ms, List<String> ps) {
        double[][] w = new double[ms.size()][ps.size()];
        for (double[] r : w) java.util.Arrays.fill(r, Double.NaN);
        for (Row r : rows) if (r.cmp() != null) w[ms.indexOf(r.method())][ps.indexOf(r.posterior())] = r.cmp().w1MarginalMean();
        return w;
    }

    static void heatMap(Config c, List<Row> rows, Path file) throws IOException {
        List<String> ps = rows.stream().map(Row::posterior).distinct().toList(), ms = rows.stream().map(Row::method).distinct().toList();
        String[][] notes = new String[ms.size()][ps.size()];
        for (String[] n : notes) java.util.Arrays.fill(n, "–");   // not run
        for (Row r : rows) notes[ms.indexOf(r.method())][ps.indexOf(r.posterior())] = r.cmp() == null ? "fail" : null;
        Figures.heatMap(file, "mean marginal W1 to the reference, standardised (white 0, dark red >= 1)" + (c.quick() ? ", --quick" : ""),
                ms, ps, grid(rows, ms, ps), 1.0, notes);
    }

    private static String f(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, Math.abs(v) < 1000 ? "%.3f" : "%.3g", v) : "–"; }

    private static Progress logger() {
        return new Progress() {
            @Override public void iteration(int it, int total, double objective, double elapsed) {}
            @Override public void note(String message) { System.err.println("posteriordb: " + message); }
        };
    }
}
