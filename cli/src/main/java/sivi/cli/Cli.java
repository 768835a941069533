package sivi.cli;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import sivi.fit.MethodDescriptor;
import sivi.fit.Options;
import sivi.fit.Preset;
import sivi.fit.Registry;
import sivi.kernels.Backends;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** Validation shared by the subcommands: each turns a bad value into a one-line usage error listing the accepted ones. */
final class Cli {
    private Cli() {}

    /**
     * Reference draws for metrics and plots: {@value #REFERENCE_DRAWS} exact draws from
     * {@code Rng.of(REFERENCE_SEED, REFERENCE_STREAM)}. The seed is fixed (not the run's seed), so
     * every run of a target is scored against the same draws, and {@code sivi eval} with its default
     * {@code --seed} reproduces the metrics in a run's summary.json.
     */
    static final long REFERENCE_SEED = 1;
    static final long REFERENCE_STREAM = Long.MAX_VALUE / 2 + 1;
    static final int REFERENCE_DRAWS = 1000;

    static Target target(CommandSpec spec, String name) {
        var all = Targets.all();
        if (!all.containsKey(name)) {
            String data = DataBinding.isDataTarget(name) ? "; '" + name + "' is a data target: add --data FILE.csv --response COL" : "";
            throw Main.usage(spec, "invalid value for --target: '" + name + "' (known: " + String.join(", ", all.keySet()) + ")" + data);
        }
        return Targets.create(name);
    }

    /**
     * The one check of a named choice: {@code value} if {@code accepted} holds it, else a usage error naming
     * the flag (or argument) and listing the accepted values.
     */
    static String oneOf(CommandSpec spec, String flag, String value, Collection<String> accepted) {
        if (!accepted.contains(value)) throw Main.usage(spec, "invalid value for " + flag + ": '" + value + "' (accepted: " + String.join(", ", accepted) + ")");
        return value;
    }

    static void method(CommandSpec spec, String name) { methodDescriptor(spec, "--method", name); }

    static MethodDescriptor methodDescriptor(CommandSpec spec, String flag, String name) {
        return Registry.descriptor(oneOf(spec, flag, name, Registry.methods().keySet()));
    }

    static Preset preset(CommandSpec spec, String name) {
        return Registry.preset(oneOf(spec, "--preset", name, Registry.presets().keySet()));
    }

    static DType dtype(CommandSpec spec, String s) {
        try { return DType.parse(s); }
        catch (IllegalArgumentException e) { throw Main.usage(spec, "invalid value for --dtype: '" + s + "' (accepted: f32, f64)"); }
    }

    static void backend(CommandSpec spec, String s) {
        if (!Backends.NAMES.contains(s.toLowerCase(java.util.Locale.ROOT))) oneOf(spec, "--backend", s, Backends.NAMES);
    }

    /** --backend, --threads and --device (null: not given), the compute flags of fit and repro, checked together. */
    static void compute(CommandSpec spec, String backend, int threads, Integer device) {
        backend(spec, backend);
        threads(spec, threads);
        if (device != null) {
            nonNegative(spec, "--device", device);
            if (!backend.equalsIgnoreCase("opencl"))
                throw Main.usage(spec, "--device needs --backend opencl (got --backend " + backend + "); list devices with 'sivi devices'");
        }
    }

    static void positive(CommandSpec spec, String flag, long v) {
        if (v < 1) throw Main.usage(spec, "invalid value for " + flag + ": " + v + " (accepted: an integer >= 1)");
    }

    /** --threads: at least 1; more than the cores this JVM sees is allowed but said (the workers spin, so it only slows down). */
    static void threads(CommandSpec spec, int threads) {
        positive(spec, "--threads", threads);
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads > cores)
            spec.commandLine().getErr().println("sivi: warning: --threads " + threads + " is more than the " + cores + " core(s) available: expect it to be slower than --threads " + cores);
    }

    static void nonNegative(CommandSpec spec, String flag, long v) {
        if (v < 0) throw Main.usage(spec, "invalid value for " + flag + ": " + v + " (accepted: an integer >= 0)");
    }

    static Options options(CommandSpec spec, List<String> assignments) {
        for (String a : assignments)
            if (a.indexOf('=') <= 0) throw Main.usage(spec, "invalid value for --set: '" + a + "' (accepted: key=value, e.g. --set lr=1e-3)");
        return Options.parse(assignments);
    }

    /** Exact draws of the target for metrics and plots, from a stream that training never uses (see {@link #REFERENCE_SEED}). */
    static Optional<Tensor> referenceDraws(Target t, long seed) {
        return t.exactSample(Rng.of(seed, REFERENCE_STREAM), REFERENCE_DRAWS);
    }
}
