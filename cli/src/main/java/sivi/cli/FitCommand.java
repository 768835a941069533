package sivi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sivi.data.DataException;
import sivi.data.Json;
import sivi.fit.Fit;
import sivi.fit.NonFiniteException;
import sivi.fit.MethodDescriptor;
import sivi.fit.Options;
import sivi.fit.Preset;
import sivi.fit.Registry;
import sivi.fit.Sivi;
import sivi.fit.StopRule;
import sivi.fit.TensorFile;
import sivi.fit.Whitening;
import sivi.targets.StandardizedTarget;
import sivi.targets.DataEngine;
import sivi.targets.EngineException;
import sivi.targets.RowTarget;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * {@code sivi fit}: one fit, written into a run directory (samples.csv, summary.json, trace.csv,
 * checkpoint.bin, plot.png, trace.png). Every file is written to a temporary sibling and renamed.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a method to a target and write the run directory.",
                "With no flags: KPG on the banana (preset kpg-banana) until its objective plateaus, at most " + FitCommand.DEFAULT_ITERATIONS + " iterations."})
final class FitCommand implements Callable<Integer> {
    /**
     * The default budget, ended early by the plateau rule (KPG on the banana stops after 10 000–18 000,
     * about 20 s on one core): the presets' 50 000 iterations are for reproductions.
     */
    static final int DEFAULT_ITERATIONS = 20_000;
    /**
     * The method of a bare {@code sivi fit}: of the semi-implicit methods, KPG gave the best fit of the
     * banana within about 20 s (docs/results/default-fit-session8.md); KSIVI stops with the arms uncovered.
     */
    static final String DEFAULT_METHOD = "kpg";
    static final String DEFAULT_TARGET = "banana";
    /** The plateau rule's window and threshold (decrease below one standard error: {@link StopRule}). */
    static final int DEFAULT_STOP_WINDOW = 2000;
    static final double STOP_Z = 1.0;

    @Spec CommandSpec spec;

    @Option(names = "--target", paramLabel = "NAME", description = "Target (see 'sivi targets'). Default: the --preset's target, else " + DEFAULT_TARGET + ".")
    String target;
    @Option(names = "--method", paramLabel = "NAME", description = "Method (see 'sivi methods'). Default: the --preset's method, else " + DEFAULT_METHOD + ".")
    String method;
    @Option(names = "--preset", paramLabel = "NAME", description = "Hyper-parameter preset. Default: <method>-<target> when it exists.")
    String preset;
    @Option(names = "--iterations", paramLabel = "N", description = "Total iterations (also when resuming); with --stop plateau the most it runs. Default: the preset's with an explicit --preset (the recipe as written), else " + DEFAULT_ITERATIONS + ", ended early by --stop auto.")
    Integer iterations;
    @Option(names = "--stop", paramLabel = "auto|plateau|none", defaultValue = "auto",
            description = "Stop before --iterations when the objective plateaus: every --stop-window iterations (from the third window on) the mean objective of the last window is compared with the window before; the run stops when it fell by less than one standard error (batch means). auto = plateau without --iterations or --preset, none with either. Default: ${DEFAULT-VALUE}.")
    String stop;
    @Option(names = "--stop-window", paramLabel = "N", description = "Window of the plateau rule in iterations, a multiple of 10. Default: " + DEFAULT_STOP_WINDOW + ".")
    Integer stopWindow;
    @Option(names = "--batch", paramLabel = "N", description = "Batch size (the method option 'batch'). Default: the preset's, else the method's.")
    Integer batch;
    @Option(names = "--draws", paramLabel = "N", description = "Draws written to samples.csv. Default: ${DEFAULT-VALUE}.", defaultValue = "1000")
    int draws;
    @Option(names = "--seed", paramLabel = "S", description = "Seed. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    long seed;
    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Floating-point type. Default: ${DEFAULT-VALUE}.", defaultValue = "f32")
    String dtype;
    @Option(names = "--backend", paramLabel = "NAME", description = "auto, scalar, simd or opencl. Default: ${DEFAULT-VALUE}.", defaultValue = "auto")
    String backend;
    @Option(names = "--threads", paramLabel = "T", description = "Backend worker threads. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    int threads;
    @Option(names = "--device", paramLabel = "N", description = "OpenCL device index for --backend opencl (see 'sivi devices'). Default: 0.")
    Integer device;
    @Option(names = "--data", paramLabel = "FILE.csv", description = "Data file for a data-driven target (see 'sivi targets'). With --engine spark, lr-csv also takes a Parquet file or directory, read on the cluster.")
    Path data;
    @Option(names = "--response", paramLabel = "COL", description = "Response column of --data.")
    String response;
    @Option(names = "--data-batch", paramLabel = "B", description = "Data targets (lr-*, bnn-*, lr-csv, bnn-csv, the pdb-* linear regressions): log-likelihood on B rows per iteration, epoch by epoch without replacement, scaled by n/B (also --set data_batch=B). Default: all rows (bnn-*: 100).")
    Integer dataBatch;
    @Option(names = "--engine", paramLabel = "local|spark", defaultValue = "local",
            description = "Where a data target's log-likelihood sums run: local (this JVM) or spark (its rows as a cached Spark data set; ./sivi adds the spark module, see docs/spark.md). Default: ${DEFAULT-VALUE}.")
    String engine;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master for --engine spark: local[*], local[N], spark://HOST:PORT, yarn, k8s://... Default: local[*].")
    String master;
    @Option(names = "--partitions", paramLabel = "P", description = "Partitions of the data for --engine spark. Default: Spark's default parallelism.")
    Integer partitions;
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/<target>-<method>-<timestamp>.")
    Path out;
    @Option(names = "--resume", description = "Continue from DIR/checkpoint.bin (without --out: the newest runs/<target>-<method>-* directory).")
    boolean resume;
    @Option(names = "--force", description = "Start afresh in an --out directory that holds a run (its run files are replaced).")
    boolean force;
    @Option(names = "--set", paramLabel = "key=value", description = "Set a method hyper-parameter (repeatable).")
    List<String> set = new ArrayList<>();
    @Option(names = "--format", paramLabel = "csv|cmdstan|npy", description = "Also write the samples as samples.cmdstan.csv or samples.npy. Default: csv only.", defaultValue = "csv")
    String format;
    @Option(names = "--no-plot", description = "Skip plot.png and trace.png.")
    boolean noPlot;

    @Option(names = "--standardize", description = "Fit in coordinates whitened by a Laplace fit (the mean and covariance of its draws): for posteriors far from the origin or from unit scale, or strongly correlated. The draws and every output stay on the target's own scale; the map is kept in standardize.json and reused by --resume.")
    boolean standardize;
    @Option(names = "--psis-resample", description = "Also write samples.psis.csv: the PSIS draws resampled with their Pareto-smoothed importance weights (methods with psis_khat; trust them only for k-hat < 0.7).")
    boolean psisResample;
    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;
    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    private RunLock lock;

    @Override public Integer call() throws IOException {
        try { return fit(); } finally { if (lock != null) lock.close(); }
    }

    private Integer fit() throws IOException {
        // a preset names its method and target: they are the defaults when --preset is given without them
        if (target == null) target = preset == null ? DEFAULT_TARGET : Cli.preset(spec, preset).target();
        Target t = readByEngine();
        boolean engineRead = t != null;
        if (t == null) t = DataBinding.target(spec, target, data, response);
        if (method == null) method = preset == null ? DEFAULT_METHOD : Cli.preset(spec, preset).method();
        Cli.method(spec, method);
        Preset p = resolvePreset(t);
        t = withDataBatch(t);
        DType dt = Cli.dtype(spec, dtype);
        Cli.compute(spec, backend, threads, device);
        SampleFormat fmt = SampleFormat.parse(spec, "--format", format);
        Cli.nonNegative(spec, "--draws", draws);
        if (iterations != null) Cli.nonNegative(spec, "--iterations", iterations);
        if (batch != null) Cli.positive(spec, "--batch", batch);
        StopRule stopRule = stopRule();
        // --batch overrides the preset's batch (without it the preset's holds); --set batch=… wins over both, as before
        Options overrides = (batch == null ? Options.empty() : Options.of("batch", Integer.toString(batch)).from("--batch"))
                .with(Cli.options(spec, set).from("--set"));
        Sivi sivi = Sivi.method(method);
        if (p != null) sivi.preset(p.name());
        MethodDescriptor.Resolved resolved = sivi.options(overrides).resolve();   // bad keys or values fail before the run directory exists

        Target evaluated = engineRead ? t : engine(t);
        Path dir = runDirectory();
        lock = RunLock.acquire(dir);   // before any work, and before looking at what the directory holds
        Path checkpoint = dir.resolve("checkpoint.bin");
        if (resume && force) throw Main.usage(spec, "--resume and --force exclude each other (continue the run, or replace it)");
        if (!resume && Files.exists(checkpoint)) {
            if (!force) throw Main.usage(spec, "run directory " + dir + " already holds a run; pass --resume to continue it, --force to replace it, or choose another --out");
            for (String f : RUN_FILES) Files.deleteIfExists(dir.resolve(f));
        }
        // an explicit --preset is the recipe as written, its iteration count included (a default preset only sets options)
        int its = iterations != null ? iterations : preset != null ? p.iterations() : DEFAULT_ITERATIONS;
        ProgressReporter progress = ProgressReporter.create(spec.commandLine().getErr(), quiet);
        Whitening.Result whitening = whitening(dir, evaluated, progress);
        Target fitted = whitening == null ? evaluated : whitening.target(evaluated);
        if (p != null && !p.target().equals(t.name()))
            progress.note("preset " + p.name() + " was written for target " + p.target() + "; applying it to " + t.name());
        Fit fit;
        try {
            fit = sivi.iterations(its).stop(stopRule).seed(seed).dtype(dt).backend(backend, threads).device(device == null ? 0 : device).draws(draws)
                .checkpoint(checkpoint, Math.max(1, its / 10), resume).progress(progress).fit(fitted);
        } catch (EngineException e) {
            progress.finish();
            throw new Main.UserFailure(e.getMessage() + ". To go on: " + (Files.exists(checkpoint)
                    ? "resume from the last good checkpoint (--resume) once the cluster is healthy" : "start afresh in this directory with --force"), e);
        } catch (NonFiniteException e) {
            progress.finish();
            throw new Main.UserFailure(e.getMessage() + ". To go on: " + (Files.exists(checkpoint)
                    ? "resume from the last good checkpoint with a smaller step size (--resume --set lr=...), or start afresh in this directory with --force"
                    : "start afresh in this directory with --force and a smaller step size (--set lr=...)"), e);
        }
        progress.finish();
        // the draws in the target's own coordinates for every output; PSIS works on the fitted ones (same importance ratios)
        Fit raw = fit;
        if (whitening != null) fit = fit.withSamples(((StandardizedTarget) fitted).toOriginal(fit.samples()));
        if (!quiet) spec.commandLine().getErr().println(fit.stoppedEarly()
                ? "sivi: stopped at iteration " + fit.endIteration() + " of " + its + ": " + fit.stopReason()
                : "sivi: reached --iterations (" + fit.endIteration() + ")" + (stopRule.enabled() ? " before the objective plateaued" : ""));

        RunFiles.writeSamples(dir.resolve("samples.csv"), SampleFormat.CSV, fit.names(), fit.samples(), t, method, fit.config().seed());
        if (fmt != SampleFormat.CSV) RunFiles.writeSamples(dir.resolve(fmt.defaultFileName()), fmt, fit.names(), fit.samples(), t, method, fit.config().seed());
        RunFiles.writeTrace(dir.resolve("trace.csv"), fit);
        Optional<Tensor> reference = Cli.referenceDraws(t, Cli.REFERENCE_SEED);
        Map<String, Object> metrics = MetricsReport.standard().compute(t, fit.samples(), reference);
        Optional<String> diverged = Divergence.check(fit, reference);
        diverged.ifPresent(w -> spec.commandLine().getErr().println("sivi: warning: " + w));   // even with --quiet
        Map<String, Object> summary = summary(fit, p, resolved, metrics);
        summary.put("divergence_warning", diverged.orElse(null));
        // the method's own results (log Z, gradient evaluations, …) and PSIS-k̂ where q has a density
        for (var e : fit.session().report().entrySet())
            if (summary.putIfAbsent(e.getKey(), e.getValue()) != null) throw new IllegalStateException("method report key '" + e.getKey() + "' clashes with a summary field");
        summary.put("standardize", whitening == null ? null : Map.of("source", whitening.source(), "file", STANDARDIZE_FILE));
        Map<String, Object> psis = psis(raw, whitening == null ? t : fitted, whitening == null ? null : (StandardizedTarget) fitted, t, dir);
        summary.putAll(psis);
        if (!quiet && psis.get("psis_reading") != null)
            spec.commandLine().getErr().println("sivi: PSIS k̂ = " + (psis.get("psis_khat") == null ? "-inf" : String.format("%.3f", (Double) psis.get("psis_khat"))) + ": " + psis.get("psis_reading"));
        RunFiles.writeJson(dir.resolve("summary.json"), summary);
        if (!noPlot) {
            String title = t.name() + " · " + method + " · " + fit.endIteration() + " iterations";
            FitPlots.write(dir.resolve("plot.png"), t, fit.samples(), FitPlots.reference(t), title);
            FitPlots.trace(dir.resolve("trace.csv"), dir.resolve("trace.png"), title);
        }
        if (!quiet) spec.commandLine().getErr().println("sivi: wrote " + dir + " (" + String.format("%.1f s, %.3f ms/iteration, final objective %.4g", fit.wallSeconds(), fit.msPerIteration(), fit.finalObjective()) + ")");
        spec.commandLine().getOut().println(dir);
        return Main.OK;
    }

    /**
     * --engine, --master, --partitions: the target whose likelihood sums the chosen engine evaluates (the
     * target itself for local). Usage errors before any work; the run files and metrics use the local target.
     */
    private Target engine(Target t) {
        if (engine.equals(DataEngine.LOCAL)) {
            if (master != null || partitions != null) throw Main.usage(spec, (master != null ? "--master" : "--partitions") + " needs --engine spark");
            return t;
        }
        DataEngine e = dataEngine();
        if (!(t instanceof RowTarget rows)) throw Main.usage(spec, "invalid value for --engine: " + engine + " evaluates data targets (lr-*, bnn-*, lr-csv, bnn-csv), not " + t.name());
        try { return e.distribute(rows, engineSettings()); }
        catch (IllegalArgumentException x) { throw Main.usage(spec, "invalid value for --engine " + engine + ": " + x.getMessage()); }
        catch (RuntimeException x) { throw new Main.UserFailure("the " + engine + " engine could not start: " + x.getMessage(), x); }
    }

    /** A data target the engine reads itself (Spark: lr-csv on Parquet), its rows never here; null when the file is read here. */
    private Target readByEngine() {
        if (engine.equals(DataEngine.LOCAL) || data == null || response == null) return null;
        DataEngine e = dataEngine();
        try { return e.read(target, data, response, engineSettings()).orElse(null); }
        catch (DataException x) { throw new Main.UserFailure(x.getMessage(), x); }
        catch (IllegalArgumentException x) { throw Main.usage(spec, "invalid value for --engine " + engine + ": " + x.getMessage()); }
        catch (RuntimeException x) { throw new Main.UserFailure("the " + engine + " engine could not read " + data + ": " + x.getMessage(), x); }
    }

    private DataEngine dataEngine() {
        try { return DataEngine.named(engine); }
        catch (IllegalArgumentException x) { throw Main.usage(spec, "invalid value for --engine: " + x.getMessage()); }
    }

    private Map<String, String> engineSettings() {
        if (partitions != null) Cli.positive(spec, "--partitions", partitions);
        Map<String, String> settings = new LinkedHashMap<>();
        if (master != null) settings.put("master", master);
        if (partitions != null) settings.put("partitions", Integer.toString(partitions));
        return settings;
    }

    /**
     * --stop and --stop-window: auto is the plateau rule when neither --iterations nor --preset is given (the default run),
     * else none — an explicit preset runs its recipe's iterations, as the paper does.
     */
    private StopRule stopRule() {
        String kind = Cli.oneOf(spec, "--stop", stop, List.of("auto", "plateau", "none"));
        if (stopWindow != null) {
            Cli.positive(spec, "--stop-window", stopWindow);
            if (stopWindow % StopRule.BATCHES != 0) throw Main.usage(spec, "--stop-window must be a multiple of " + StopRule.BATCHES + ", got " + stopWindow);
        }
        boolean plateau = kind.equals("plateau") || kind.equals("auto") && iterations == null && preset == null;
        if (!plateau && stopWindow != null) throw Main.usage(spec, "--stop-window needs the plateau rule (--stop plateau, or neither --iterations nor --preset)");
        return plateau ? StopRule.plateau(stopWindow != null ? stopWindow : DEFAULT_STOP_WINDOW, STOP_Z) : StopRule.NONE;
    }

    /**
     * Applies --data-batch, or --set data_batch=B (taken out of the method options: it belongs to the target),
     * to a data target; a usage error for other targets.
     */
    private Target withDataBatch(Target t) {
        List<String> rest = new ArrayList<>();
        Integer b = dataBatch;
        for (String a : set) {
            if (!a.startsWith("data_batch=")) { rest.add(a); continue; }
            if (b != null) throw Main.usage(spec, "data_batch given twice (--data-batch and --set data_batch, or --set data_batch repeated)");
            try { b = Integer.parseInt(a.substring("data_batch=".length()).trim()); }
            catch (NumberFormatException e) { throw Main.usage(spec, "invalid value for --set: '" + a + "' (accepted: data_batch=B, a positive integer)"); }
        }
        set = rest;
        if (b == null) return t;
        Cli.positive(spec, "--data-batch", b);
        dataBatch = b;
        try { return t.withDataBatch(b); }
        catch (IllegalArgumentException e) { throw Main.usage(spec, "invalid value for --data-batch: " + e.getMessage()); }
    }

    private Preset resolvePreset(Target t) {
        if (preset != null) {
            Preset p = Cli.preset(spec, preset);
            if (!p.method().equals(method)) throw Main.usage(spec, "invalid value for --preset: '" + preset + "' is for method " + p.method() + ", not " + method);
            return p;
        }
        return Registry.defaultPreset(method, t.name()).orElse(null);
    }

    /** The stream of the semi-implicit methods' PSIS draws (fresh draws: their log q bound needs the mixing draws behind them). */
    static final long PSIS_STREAM = Long.MAX_VALUE / 2 + 1;

    /** Draws and log q of each for PSIS: exact, or IWHVI's upper bound for semi-implicit q (kind says which). */
    private record PsisDraws(Tensor x, double[] logQ, String kind) {}

    private static Optional<PsisDraws> psisDraws(Fit fit) {
        int n = fit.samples().dim(0);
        if (n < 10) return Optional.empty();
        var logQ = fit.session().logDensity(fit.samples());
        if (logQ.isPresent()) return Optional.of(new PsisDraws(fit.samples(), logQ.get(), "exact, of the draws in samples.csv"));
        return fit.session().sampleWithLogDensityBound(sivi.kernels.Rng.of(fit.config().seed(), PSIS_STREAM), n)
                .map(d -> new PsisDraws(d.x(), d.logQ().toDoubleArray(),
                        "IWHVI upper bound on log q (E log q̂ ≥ log q) of " + n + " fresh draws; see docs/algorithms.md#psis"));
    }

    /**
     * psis_khat against log q where the method's q has a density, or against IWHVI's upper bound on log q for a semi-implicit q;
     * a k̂ the method computed itself (multi-path Pathfinder's resampling) otherwise; nulls when there is none (particles).
     * With --psis-resample, samples.psis.csv holds the PSIS-resampled draws.
     */
    private Map<String, Object> psis(Fit fit, Target fittedTarget, StandardizedTarget whitened, Target t, Path dir) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<PsisDraws> pd = fit.session().report().get("psis_khat") instanceof Double ? Optional.empty() : psisDraws(fit);
        if (fit.session().report().get("psis_khat") instanceof Double k) {
            out.putAll(PsisReport.of(k, fit.samples().dim(0)));
            out.put("psis_log_q", "the method's own importance weights (multi-path Pathfinder resampling)");
        } else if (pd.isPresent()) {
            out.putAll(PsisReport.of(fittedTarget, pd.get().x(), pd.get().logQ()));
            out.put("psis_log_q", pd.get().kind());
        } else {
            out.put("psis_khat", null);
            out.put("psis_reading", null);
        }
        if (psisResample) {
            if (pd.isPresent()) {
                Tensor r = PsisReport.resample(fittedTarget, pd.get().x(), pd.get().logQ(), sivi.kernels.Rng.of(fit.config().seed(), PSIS_STREAM + 1));
                if (whitened != null) r = whitened.toOriginal(r);
                RunFiles.writeSamples(dir.resolve("samples.psis.csv"), SampleFormat.CSV, fit.names(), r, t, method, fit.config().seed());
                out.put("psis_resampled", "samples.psis.csv");
            } else if (out.get("psis_khat") != null) {
                out.put("psis_resampled", "samples.csv (multi-path Pathfinder's draws are importance-resampled already)");
            } else {
                out.put("psis_resampled", null);
                spec.commandLine().getErr().println("sivi: warning: --psis-resample: " + method + " gives no log q for its draws (particles); nothing resampled");
            }
        }
        return out;
    }

    private Path runDirectory() throws IOException {
        if (out != null) return out;
        Path runs = Path.of("runs");
        if (resume) {
            String prefix = target + "-" + method + "-";
            try (var s = Files.isDirectory(runs) ? Files.list(runs) : java.util.stream.Stream.<Path>empty()) {
                return s.filter(d -> d.getFileName().toString().startsWith(prefix) && Files.exists(d.resolve("checkpoint.bin")))
                        .max(Comparator.comparing(d -> d.getFileName().toString()))
                        .orElseThrow(() -> Main.usage(spec, "--resume without --out: no runs/" + prefix + "* directory with a checkpoint"));
            }
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return runs.resolve(target + "-" + method + "-" + stamp);
    }

    /** The files of a run, removed by --force before a new run starts in the directory. */
    /** --standardize's map (m, L) in the run directory: written before the fit, read back by --resume. */
    static final String STANDARDIZE_FILE = "standardize.json";

    /**
     * The whitened coordinates of --standardize: a Laplace fit's (written to standardize.json) for a new run, the file's
     * for --resume; null without --standardize. A resumed run must be given --standardize exactly when it was fitted with it.
     */
    @SuppressWarnings("unchecked")
    private Whitening.Result whitening(Path dir, Target t, ProgressReporter progress) throws IOException {
        Path f = dir.resolve(STANDARDIZE_FILE);
        if (resume && Files.exists(dir.resolve("checkpoint.bin"))) {
            boolean had = Files.exists(f);
            if (had != standardize)
                throw Main.usage(spec, "the run in " + dir + " was fitted " + (had ? "with" : "without") + " --standardize: resume it " + (had ? "with" : "without") + " it");
            if (!had) return null;
            try {
                Whitening.Result w = Whitening.Result.fromJson((Map<String, Object>) Json.parse(Files.readString(f)));
                w.target(t);   // checks the sizes against the target
                return w;
            } catch (RuntimeException e) {
                throw new Main.UserFailure(f + " does not hold a whitening of " + t.name() + " (" + e.getMessage() + "); start afresh with --force");
            }
        }
        if (!standardize) return null;
        progress.note("--standardize: a Laplace fit for the whitened coordinates");
        Whitening.Result w;
        try {
            w = Whitening.byLaplace(t, 1000, Map.of(), seed, 2000);
        } catch (IllegalStateException e) {
            throw new Main.UserFailure("--standardize: " + e.getMessage() + "; fit without --standardize", e);
        }
        Map<String, Object> o = w.toJson();
        o.put("note", "x = location + cholesky · u: the method was fitted in u (sivi fit --standardize)");
        RunFiles.writeJson(f, o);
        return w;
    }

    static final List<String> RUN_FILES = List.of("checkpoint.bin", "standardize.json", "samples.csv", "samples.psis.csv", "samples.cmdstan.csv", "samples.npy", "summary.json", "trace.csv", "plot.png", "trace.png", "report.html");

    /** The option changes made at resumes (step sizes only), as the checkpoint records them; empty for a run never resumed with changes. */
    private static Object resumeHistory(Fit fit) {
        try {
            String h = TensorFile.read(fit.config().checkpoint()).meta().get("history");
            return h == null ? List.of() : Json.parse(h);
        } catch (IOException e) {
            return List.of();
        }
    }

    private Map<String, Object> summary(Fit fit, Preset p, MethodDescriptor.Resolved resolved, Map<String, Object> metrics) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("target", fit.target());
        s.put("method", fit.method());
        s.put("preset", p == null ? null : p.name());
        s.put("iterations", fit.endIteration());
        s.put("max_iterations", fit.config().iterations());
        StopRule rule = fit.config().stop();
        Map<String, Object> stopRule = new LinkedHashMap<>();
        stopRule.put("rule", rule.enabled() ? "plateau" : "none");
        if (rule.enabled()) { stopRule.put("window", rule.window()); stopRule.put("z", rule.z()); }
        s.put("stop_rule", stopRule);
        s.put("stop_reason", fit.stopReason());
        s.put("start_iteration", fit.startIteration());
        s.put("resume_history", resumeHistory(fit));
        s.put("batch", fit.options().asMap().containsKey("batch") ? Integer.parseInt(fit.options().asMap().get("batch")) : null);
        s.put("seed", fit.config().seed());
        s.put("dtype", fit.config().dtype().label());
        s.put("backend", fit.backend());
        s.put("threads", fit.threads());
        s.put("device", fit.config().device());
        s.put("data", data == null ? null : data.toString());
        s.put("response", response);
        s.put("data_batch", dataBatch);
        s.put("engine", engine);
        s.put("master", engine.equals(DataEngine.LOCAL) ? null : master != null ? master : "local[*]");
        s.put("draws", fit.config().draws());
        s.put("wall_seconds", fit.wallSeconds());
        s.put("ms_per_iteration", fit.msPerIteration());
        s.put("final_objective", fit.finalObjective());
        s.put("options", new LinkedHashMap<>(fit.options().asMap()));
        // where each option came from: "preset NAME", "--set", "--batch", "… (overrides preset NAME: old)"
        s.put("option_sources", resolved.options().origins());
        s.put("option_notes", resolved.notes());
        s.put("names", fit.names());
        s.put("metrics_reference", metrics.containsKey("reference_n")
                ? "exact (" + Cli.REFERENCE_DRAWS + " draws, seed " + Cli.REFERENCE_SEED + ")" : null);
        s.put("metrics", metrics);
        s.put("sivi_version", new Main.Version().getVersion()[0]);
        s.put("java", System.getProperty("java.version"));
        s.put("created", java.time.OffsetDateTime.now().withNano(0).toString());
        return s;
    }
}
