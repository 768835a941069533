package sivi.bench.harness;

import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Registry;
import sivi.fit.Session;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;

/**
 * The training session every timing of the bench harness steps ({@link StepBench}, {@link ThreadScaling},
 * {@link JarComparison}), handed out as a {@link Runnable}: a JDK type, so that {@link JarComparison} can define this
 * class in the class loader of another sivi build and step that build's code beside this one's in one JVM. It uses the
 * API every build since session 14 has (registry, preset, backend, session): an older jar without it fails with a
 * linkage error that names what is missing.
 */
public final class JarStepper {
    private JarStepper() {}

    /** {step, close} on a new "auto" backend: step runs one iteration ({@link #on}), close releases the backend's workers. */
    public static Runnable[] of(String methodName, String targetName, int batch, int threads, String dtypeLabel) {
        Backend backend = Backends.create("auto", threads);
        return new Runnable[] {on(backend, methodName, targetName, batch, DType.parse(dtypeLabel)), backend::close};
    }

    /**
     * A session on {@code backend}, with the preset "{method}-{target}" when it exists and the batch size overridden,
     * initialised with seed 1; each run is one iteration, the i-th with stream i + 1.
     */
    static Runnable on(Backend backend, String methodName, String targetName, int batch, DType dtype) {
        Method method = Registry.method(methodName);
        Target target = Targets.create(targetName);
        Options opts = Registry.defaultPreset(methodName, targetName).map(p -> p.options()).orElse(Options.empty()).with("batch", batch);
        Session s = Kernels.with(backend, () -> method.init(target, opts, dtype, Rng.of(1, 0)));
        int[] it = {0};
        return () -> Kernels.run(backend, () -> { s.step(target, it[0], Rng.of(1, it[0] + 1L)); it[0]++; });
    }
}
