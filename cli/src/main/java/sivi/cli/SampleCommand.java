package sivi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sivi.data.Json;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Registry;
import sivi.fit.Session;
import sivi.fit.TensorFile;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * {@code sivi sample}: rebuilds a run's session from summary.json (method, target, options, dtype,
 * seed) and checkpoint.bin (parameters, EMA), then draws. With the run's own seed the draws repeat
 * the run's samples.csv exactly (same stream as the trainer's final draw).
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw from a fitted run (summary.json + checkpoint.bin).")
final class SampleCommand implements Callable<Integer> {
    /** The trainer draws its final samples from this stream of the run's seed. */
    static final long FINAL_DRAW_STREAM = Long.MAX_VALUE / 2;

    @Spec CommandSpec spec;

    @Option(names = "--run", paramLabel = "DIR", required = true, description = "A run directory written by 'sivi fit'.")
    Path run;
    @Option(names = "--draws", paramLabel = "N", defaultValue = "1000", description = "Number of draws. Default: ${DEFAULT-VALUE}.")
    int draws;
    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output file (.csv or .npy).")
    Path out;
    @Option(names = "--format", paramLabel = "csv|cmdstan|npy", description = "Output format. Default: from the file name (.npy, else csv).")
    String format;
    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draws. Default: the run's seed (repeats samples.csv).")
    Long seed;
    @Option(names = "--force", description = "Overwrite --out if it exists.")
    boolean force;
    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    @Override public Integer call() throws IOException {
        Cli.positive(spec, "--draws", draws);
        SampleFormat fmt = format == null ? SampleFormat.fromFileName(out) : SampleFormat.parse(spec, "--format", format);
        Path summaryFile = run.resolve("summary.json"), checkpointFile = run.resolve("checkpoint.bin");
        if (!Files.isDirectory(run)) throw Main.usage(spec, "invalid value for --run: " + run + " (not a directory)");
        if (Files.isDirectory(out)) throw Main.usage(spec, "invalid value for --out: " + out + " is a directory (give a file name)");
        if (Files.exists(out) && !force) throw Main.usage(spec, "--out " + out + " exists; pass --force to overwrite it");
        for (Path f : List.of(summaryFile, checkpointFile))
            if (!Files.isRegularFile(f)) throw Main.usage(spec, "invalid value for --run: " + run + " has no " + f.getFileName() + " (is it a 'sivi fit' run directory?)");
        try { TensorFile.checkWritable(out); }   // before any work: a path under a file or a read-only directory
        catch (IOException e) { throw new Main.UserFailure(e.getMessage(), e); }

        Map<String, Object> summary = readSummary(summaryFile);
        String methodName = string(summary, "method", summaryFile), targetName = string(summary, "target", summaryFile);
        // What summary.json names is the file's content: a damaged or foreign one is bad input (exit 1), not a usage error.
        Method method = fromSummary(summaryFile, () -> Registry.method(methodName));
        // A data target is rebuilt from the data file and response column the run recorded.
        Target target = fromSummary(summaryFile, () -> summary.get("data") instanceof String data
                ? DataBinding.bind(spec, targetName, Path.of(data), String.valueOf(summary.get("response")))
                : Cli.target(spec, targetName));
        DType dtype = fromSummary(summaryFile, () -> DType.parse(string(summary, "dtype", summaryFile)));
        if (!(require(summary, "seed", summaryFile) instanceof Number seedNumber)) throw new Main.UserFailure(summaryFile + ": \"seed\" is not a number");
        long runSeed = seedNumber.longValue();
        if (!(require(summary, "options", summaryFile) instanceof Map<?, ?> opts)) throw new Main.UserFailure(summaryFile + ": \"options\" is not an object");
        Options options = Options.empty();
        for (var e : opts.entrySet()) options = options.with(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        Options o = options;
        TensorFile.Contents checkpoint = TensorFile.read(checkpointFile);
        long drawSeed = seed != null ? seed : runSeed;

        String backendName = summary.get("backend") instanceof String b && Backends.NAMES.contains(b) ? b : "auto";
        // threads only change speed: a damaged count is clamped to the cores rather than starting a million workers
        int threads = summary.get("threads") instanceof Number n ? Math.clamp(n.longValue(), 1, Runtime.getRuntime().availableProcessors()) : 1;
        int device = summary.get("device") instanceof Number n ? n.intValue() : 0;
        Tensor samples;
        try (Backend backend = Backends.create(backendName, threads, device)) {
            samples = fromSummary(summaryFile, () -> Kernels.with(backend, () -> {
                Session session = method.init(target, o, dtype, Rng.of(runSeed, 0));
                session.state().restore(checkpoint.arrays());
                return session.sample(Rng.of(drawSeed, FINAL_DRAW_STREAM), draws);
            }));
        }
        RunFiles.writeSamples(out, fmt, target.names(), samples, target, methodName, drawSeed);
        spec.commandLine().getOut().println(out);
        return Main.OK;
    }

    private static Map<String, Object> readSummary(Path f) throws IOException {
        String text;
        try { text = Files.readString(f); }
        catch (java.nio.charset.CharacterCodingException e) { throw new Main.UserFailure(f + ": not a valid summary.json (not UTF-8 text)", e); }
        if (!(parse(f, text) instanceof Map<?, ?> m)) throw new Main.UserFailure(f + ": not a valid summary.json (not a JSON object)");
        @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) m;
        return r;
    }

    private static Object parse(Path f, String text) {
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Main.UserFailure(f + ": not a valid summary.json (" + e.getMessage() + ")", e);
        }
    }

    /** A value built from what summary.json says; its rejection (unknown name, bad option, a checkpoint of other shapes) names the file. */
    private static <T> T fromSummary(Path f, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (picocli.CommandLine.ParameterException | IllegalArgumentException e) {
            throw new Main.UserFailure(f + ": " + Main.oneLine(e.getMessage()), e);
        }
    }

    private static Object require(Map<String, Object> m, String key, Path f) {
        Object v = m.get(key);
        if (v == null) throw new Main.UserFailure(f + ": missing \"" + key + "\"");
        return v;
    }

    private static String string(Map<String, Object> m, String key, Path f) { return String.valueOf(require(m, key, f)); }
}
