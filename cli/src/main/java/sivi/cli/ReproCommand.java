package sivi.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;

/**
 * {@code sivi repro NAME [--quick] [--backend B] [--threads T] --out DIR}: runs one paper experiment and
 * writes {@code result.json} plus its figures into DIR. The experiment runs under the chosen backend
 * ({@link Kernels#with}); its fits take the same one ({@code FitConfig.withCurrentBackend}). Adding an
 * experiment is one line in {@link #EXPERIMENTS}.
 */
@Command(name = "repro", mixinStandardHelpOptions = true,
        description = {"Reproduce a paper experiment: writes result.json (and figures) into --out.",
                "Experiments: iwhvi-laplace (IWHVI 50-d Laplace toy), hsivi-bayes (HSIVI on Bayesian toys), hsivi-2d (diffusion distillation on 2-D toys),",
                "hsivi-digits (distillation on 8x8 digits), lr-waveform (every method with a preset vs NUTS on BLR waveform)."})
final class ReproCommand implements Callable<Integer> {

    /** Runs one experiment; quick = the short documented variant. */
    @FunctionalInterface
    interface Experiment { void run(boolean quick, Path out) throws Exception; }

    record Entry(String description, Experiment experiment) {}

    static final Map<String, Entry> EXPERIMENTS = new LinkedHashMap<>();

    static {
        EXPERIMENTS.put("iwhvi-laplace", new Entry("IWHVI vs SIVI bounds on E_q log q, 50-d Laplace (Sobolev & Vetrov 2019)",
                (q, o) -> sivi.repro.IwhviLaplace.run(q, o)));
        EXPERIMENTS.put("hsivi-bayes", new Entry("HSIVI-SM/LB vs SIVI-SM and KSIVI on multimodal, x-shaped, funnel (MMD, kNN-KL; our setup)",
                (q, o) -> sivi.repro.HsiviBayes.run(q, o)));
        EXPERIMENTS.put("hsivi-2d", new Entry("DDPM/DDIM/DPM-Solver-2 vs HSIVI-SM and CoSIM at NFE 5/10/15 on 2-D toys (Yu et al. 2023, 2025)",
                (q, o) -> sivi.diffusion.repro.Hsivi2d.run(q, o)));
        EXPERIMENTS.put("hsivi-digits", new Entry("the same on 8x8 digits, FD in a digit classifier's feature space",
                (q, o) -> sivi.diffusion.repro.HsiviDigits.run(q, o)));
        EXPERIMENTS.put("lr-waveform", new Entry("every method with an lr-waveform preset vs NUTS: moments, MMD, test LL/accuracy (BLR, f64)", (q, o) -> sivi.repro.LrWaveform.run(q, o)));
    }

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the experiment (see 'sivi repro --help')")
    String name;

    @Option(names = "--quick", description = "the short variant (documented per experiment)")
    boolean quick;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--backend", paramLabel = "NAME", description = "auto, scalar, simd or opencl (device 0). Default: ${DEFAULT-VALUE}.", defaultValue = "auto")
    String backend;

    @Option(names = "--threads", paramLabel = "T", description = "Backend worker threads. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    int threads;

    @Override public Integer call() throws Exception {
        Entry e = EXPERIMENTS.get(name);
        if (e == null) throw new IllegalArgumentException("unknown experiment '" + name + "' (known: " + String.join(", ", EXPERIMENTS.keySet()) + ")");
        Cli.backend(spec, backend);
        Cli.threads(spec, threads);
        Files.createDirectories(out);
        try (Backend b = Backends.create(backend, threads)) {
            Kernels.with(b, () -> { e.experiment().run(quick, out); return null; });
        } catch (RuntimeException ex) {
            // Kernels.with wraps checked exceptions; report an experiment's IOException as itself
            if (ex.getClass() == RuntimeException.class && ex.getCause() instanceof Exception cause) throw cause;
            throw ex;
        }
        spec.commandLine().getErr().println("sivi: wrote " + out.resolve("result.json"));
        spec.commandLine().getOut().println(out);
        return Main.OK;
    }
}
