package sivi.fit;

import java.nio.file.Path;
import sivi.targets.Target;
import sivi.tensor.DType;

/**
 * The Java entry point, one fluent builder for every method:
 * <pre>{@code
 * Fit fit = Sivi.method("ksivi").preset("ksivi-banana").iterations(2000).seed(1).fit(Targets.banana());
 * Tensor draws = fit.samples();
 * }</pre>
 * Anything the {@code sivi fit} command does, this does with the same names.
 */
public final class Sivi {
    private final String method;
    private Preset preset;
    private Options overrides = Options.empty();
    private Integer iterations;
    private FitConfig config = FitConfig.defaults(0);
    private Progress progress = Progress.SILENT;

    private Sivi(String method) { this.method = method; }

    public static Sivi method(String name) {
        Registry.method(name); // fails early on an unknown name
        return new Sivi(name);
    }

    /** Starts from a preset's hyper-parameters (every key, batch included) and iteration count. */
    public Sivi preset(String name) {
        Preset p = Registry.preset(name);
        if (!p.method().equals(method)) throw new IllegalArgumentException("preset " + name + " is for method " + p.method() + ", not " + method);
        preset = p;
        if (iterations == null) iterations = p.iterations();
        return this;
    }

    /** Sets one hyper-parameter (overrides the preset; recorded as "set"). */
    public Sivi set(String key, Object value) { overrides = overrides.with(Options.of(key, String.valueOf(value)).from("set")); return this; }
    /** Sets hyper-parameters; keys without an origin are recorded as "set". */
    public Sivi options(Options o) {
        Options marked = o;
        for (var e : o.origins().entrySet()) if (e.getValue().equals("given")) marked = marked.with(Options.of(e.getKey(), o.asMap().get(e.getKey())).from("set"));
        overrides = overrides.with(marked);
        return this;
    }
    public Sivi iterations(int n) { iterations = n; return this; }
    public Sivi seed(long s) { config = config.withSeed(s); return this; }
    public Sivi dtype(DType d) { config = config.withDType(d); return this; }
    public Sivi backend(String name, int threads) { config = config.withBackend(name, threads); return this; }
    /** The backend bound by {@link sivi.kernels.Kernels#with} ({@link FitConfig#withCurrentBackend}). */
    public Sivi currentBackend() { config = config.withCurrentBackend(); return this; }
    /** OpenCL device index ({@code sivi devices}) used when the backend is "opencl". */
    public Sivi device(int index) { config = config.withDevice(index); return this; }
    public Sivi draws(int n) { config = config.withDraws(n); return this; }
    public Sivi checkpoint(Path file, int every, boolean resume) { config = config.withCheckpoint(file, every, resume); return this; }
    /** When the fit may end before its iteration count ({@link StopRule}; default {@link StopRule#NONE}). */
    public Sivi stop(StopRule rule) { config = config.withStop(rule); return this; }
    public Sivi skipNonFinite(boolean skip) { config = config.withSkipNonFinite(skip); return this; }
    public Sivi progress(Progress p) { progress = p; return this; }

    /**
     * The options the fit will use: the preset's with the overrides on top, validated against the
     * method's schema; keys that do not apply to the chosen variant are dropped, with a note each.
     */
    public MethodDescriptor.Resolved resolve() { return Registry.descriptor(method).resolve(preset, overrides); }

    public Fit fit(Target target) {
        int its = iterations != null ? iterations : 1000;
        MethodDescriptor.Resolved r = resolve();
        r.notes().forEach(progress::note);
        return Trainer.fit(Registry.method(method), target, r.options(), config.withIterations(its), progress);
    }
}
