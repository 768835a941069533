package sivi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import sivi.targets.Target;
import sivi.tensor.Tensor;

/** {@code sivi eval}: metrics of a samples file against a target (and reference draws) as JSON on stdout. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print metrics of draws against a target as JSON (the 'metrics' object of summary.json).",
                "Reference: --reference FILE, else " + Cli.REFERENCE_DRAWS + " exact draws when the target has them.",
                "KSD needs no reference: it is computed for every target from its score."})
final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--target", paramLabel = "NAME", required = true, description = "Target (see 'sivi targets').")
    String target;
    @Option(names = "--data", paramLabel = "FILE.csv", description = "Data file for a data-driven target (see 'sivi targets').")
    Path data;
    @Option(names = "--response", paramLabel = "COL", description = "Response column of --data.")
    String response;
    @Option(names = "--samples", paramLabel = "FILE", required = true, description = "Draws (.csv, CmdStan .csv or .npy).")
    Path samples;
    @Option(names = "--reference", paramLabel = "FILE", description = "Reference draws (same formats; .csv.gz too, e.g. posteriordb's reference.csv.gz; *__ columns such as chain__ are skipped).")
    Path reference;
    @Option(names = "--log-q", paramLabel = "FILE", description = "log q of each draw of --samples (one number per line, same order): adds PSIS k-hat (Vehtari et al. 2024).")
    Path logQ;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Cli.REFERENCE_SEED, description = "Seed of the exact reference draws. Default: ${DEFAULT-VALUE}, the seed 'sivi fit' uses for its metrics.")
    long seed;
    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    @Override public Integer call() throws IOException {
        Target t = DataBinding.target(spec, target, data, response);
        Tensor x = load(t, samples, "--samples");
        Optional<Tensor> ref = reference != null ? Optional.of(load(t, reference, "--reference")) : Cli.referenceDraws(t, seed);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", t.name());
        if (data != null) { out.put("data", data.toString()); out.put("response", response); }
        out.put("samples", samples.toString());
        out.put("reference", reference != null ? reference.toString() : ref.isPresent() ? "exact (" + Cli.REFERENCE_DRAWS + " draws, seed " + seed + ")" : null);
        out.put("metrics", MetricsReport.standard().compute(t, x, ref));
        if (logQ != null) {
            Map<String, Object> psis = PsisReport.of(t, x, readLogQ(x.dim(0)));
            out.putAll(psis);
            spec.commandLine().getErr().println("sivi: PSIS k̂ = " + (psis.get("psis_khat") == null ? "-inf" : String.format("%.3f", (Double) psis.get("psis_khat"))) + ": " + psis.get("psis_reading"));
        }
        spec.commandLine().getOut().print(Json.write(out));
        return Main.OK;
    }

    /** One finite number per non-blank line (a header line that is not a number is skipped), as many as draws. */
    private double[] readLogQ(int draws) throws IOException {
        if (!Files.isRegularFile(logQ)) throw Main.usage(spec, "invalid value for --log-q: " + logQ + " (no such file)");
        List<String> lines = Files.readAllLines(logQ).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
        if (!lines.isEmpty() && !lines.get(0).matches("[-+0-9.eEinfINFaA]+")) lines = lines.subList(1, lines.size());
        if (lines.size() != draws)
            throw new Main.UserFailure(logQ + " has " + lines.size() + " log q values, --samples has " + draws + " draws", null);
        double[] v = new double[draws];
        for (int i = 0; i < draws; i++) {
            try { v[i] = Double.parseDouble(lines.get(i)); } catch (NumberFormatException e) { throw new Main.UserFailure(logQ + " line " + (i + 1) + ": '" + lines.get(i) + "' is not a number", e); }
        }
        return v;
    }

    private Tensor load(Target t, Path file, String flag) throws IOException {
        if (!Files.isRegularFile(file)) throw Main.usage(spec, "invalid value for " + flag + ": " + file + " (no such file)");
        SampleIO.Samples s = SampleIO.read(file);
        List<String> outs = t.outputNames();
        if (!outs.equals(t.names())) {
            // a target with constrained outputs (a Stan model): the file holds them by name, in any order
            List<String> have = SampleIO.stanNames(s.names()), want = SampleIO.stanNames(outs);
            int[] col = new int[want.size()];
            for (int j = 0; j < col.length; j++)
                if ((col[j] = have.indexOf(want.get(j))) < 0)
                    throw new Main.UserFailure(file + " has no column '" + outs.get(j) + "' (has " + DataException.show(String.join(",", s.names())) + "; target " + t.name() + " writes " + outs + ")");
            int n = s.draws().dim(0), w = s.draws().dim(1);
            double[] a = s.draws().toDoubleArray(), y = new double[n * col.length];
            for (int i = 0; i < n; i++) for (int j = 0; j < col.length; j++) y[i * col.length + j] = a[i * w + col[j]];
            return t.unconstrain(Tensor.wrap(y, n, col.length));
        }
        if (s.draws().dim(1) != t.dim())
            throw new Main.UserFailure(file + " has " + s.draws().dim(1) + " columns (" + DataException.show(String.join(",", s.names())) + "), target " + t.name() + " has dimension " + t.dim());
        return s.draws();
    }
}
