package sivi.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.repro.Experiments;
import sivi.repro.ReproOptions;

/**
 * {@code sivi repro NAME [--quick] [--backend B] [--threads T] --out DIR}: runs one paper experiment and
 * writes {@code result.json} plus its figures into DIR. The experiment runs under the chosen backend
 * ({@link Kernels#with}); its fits take the same one ({@code FitConfig.withCurrentBackend}). The experiments
 * are one list, {@link Experiments} (module repro).
 */
@Command(name = "repro", mixinStandardHelpOptions = true, subcommands = ReproCommand.ListExperiments.class,
        description = {"Reproduce a paper experiment: writes result.json (and figures) into --out.",
                "Experiments: iwhvi-laplace (IWHVI 50-d Laplace toy), hsivi-bayes (HSIVI on Bayesian toys), hsivi-2d (diffusion distillation on 2-D toys),",
                "hsivi-digits (distillation on 8x8 digits), lr-waveform (every method with a preset vs NUTS on BLR waveform),",
                "posteriordb (every method on the posteriordb posteriors vs reference draws; --posteriors, --methods, --standardize)."})
final class ReproCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    // NAME and --out are checked in call(), not by picocli: it would also demand them of 'sivi repro list'
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the experiment (see 'sivi repro list')")
    String name;

    @Option(names = "--quick", description = "the short variant (documented per experiment)")
    boolean quick;

    @Option(names = "--seeds", paramLabel = "N", description = "repeat over seeds 1..N and report mean ± sd (experiments that support it; default: the experiment's own)")
    Integer seeds;

    @Option(names = "--posteriors", split = ",", paramLabel = "A,B", description = "only these posteriors (experiments over posteriors)")
    List<String> posteriors = new ArrayList<>();

    @Option(names = "--methods", split = ",", paramLabel = "X,Y", description = "only these methods (experiments over methods)")
    List<String> methods = new ArrayList<>();

    @Option(names = "--standardize", description = "fit every posterior in coordinates standardised by a Laplace fit's mean and sd (posteriordb)")
    boolean standardize;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (required)")
    Path out;

    @Option(names = "--backend", paramLabel = "NAME", description = "auto, scalar, simd or opencl (device 0). Default: ${DEFAULT-VALUE}.", defaultValue = "auto")
    String backend;

    @Option(names = "--threads", paramLabel = "T", description = "Backend worker threads. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    int threads;

    @Override public Integer call() throws Exception {
        if (name == null) throw Main.usage(spec, "Missing required parameter: 'NAME' (see 'sivi repro list')");
        if (out == null) throw Main.usage(spec, "Missing required option: '--out=DIR'");
        Experiments.Experiment e = Experiments.get(name);
        refuseUnsupported(e, Experiments.Selector.SEEDS, "--seeds", seeds != null);
        refuseUnsupported(e, Experiments.Selector.POSTERIORS, "--posteriors", !posteriors.isEmpty());
        refuseUnsupported(e, Experiments.Selector.METHODS, "--methods", !methods.isEmpty());
        refuseUnsupported(e, Experiments.Selector.STANDARDIZE, "--standardize", standardize);
        if (seeds != null && seeds < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--seeds must be at least 1 (got " + seeds + ")");
        ReproOptions options = new ReproOptions(quick, seeds == null ? 0 : seeds, posteriors, methods, standardize);
        Cli.compute(spec, backend, threads, null);
        Files.createDirectories(out);
        try (Backend b = Backends.create(backend, threads)) {
            Kernels.with(b, () -> { e.run().run(options, out); return null; });
        } catch (RuntimeException ex) {
            // Kernels.with wraps checked exceptions; report an experiment's IOException as itself
            if (ex.getClass() == RuntimeException.class && ex.getCause() instanceof Exception cause) throw cause;
            throw ex;
        }
        spec.commandLine().getErr().println("sivi: wrote " + out.resolve("result.json"));
        spec.commandLine().getOut().println(out);
        return Main.OK;
    }

    /** An option the experiment would ignore is a usage error, not a silent no-op. */
    private void refuseUnsupported(Experiments.Experiment e, Experiments.Selector s, String option, boolean given) {
        if (given && !e.accepts().contains(s))
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "experiment '" + e.name() + "' does not take " + option);
    }

    /** {@code sivi repro list}: the experiments of {@link Experiments}, one per line (name, description); --json for scripts. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments (name and description).")
    static final class ListExperiments implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--json", description = "A JSON array of {name, description} instead.")
        boolean json;

        @Override public Integer call() {
            var out = spec.commandLine().getOut();
            if (json) {
                java.util.List<Object> rows = new java.util.ArrayList<>();
                for (var e : Experiments.ALL) {
                    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("name", e.name());
                    m.put("description", e.description());
                    rows.add(m);
                }
                out.println(sivi.data.Json.write(rows));
                return Main.OK;
            }
            int w = Experiments.ALL.stream().mapToInt(e -> e.name().length()).max().orElse(4);
            for (var e : Experiments.ALL) out.println(String.format("%-" + w + "s  %s", e.name(), e.description()));
            return Main.OK;
        }
    }
}
