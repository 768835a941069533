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
 * One training session of a method on a target, driven through JDK types only, so that {@link JarComparison} can define
 * this class in the class loader of another sivi build and step that build's code beside this one's in one JVM. It
 * uses the API every build since session 14 has (registry, preset, backend, session): an older jar without it fails
 * with a linkage error that names what is missing.
 */
public final class JarStepper {
    private JarStepper() {}

    /**
     * {step, close}: step runs one iteration (iteration counter and stream as {@link StepBench}), close releases the
     * backend's workers. The preset "{method}-{target}" applies when it exists, with the batch size overridden.
     */
    public static Runnable[] of(String methodName, String targetName, int batch, int threads, String dtypeLabel) {
        Method method = Registry.method(methodName);
        Target target = Targets.create(targetName);
        Options opts = Registry.defaultPreset(methodName, targetName).map(p -> p.options()).orElse(Options.empty()).with("batch", batch);
        DType dtype = DType.parse(dtypeLabel);
        Backend backend = Backends.create("auto", threads);
        Session s = Kernels.with(backend, () -> method.init(target, opts, dtype, Rng.of(1, 0)));
        int[] it = {0};
        Runnable step = () -> Kernels.run(backend, () -> { s.step(target, it[0], Rng.of(1, it[0] + 1L)); it[0]++; });
        return new Runnable[] {step, backend::close};
    }
}
