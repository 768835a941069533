package sivi.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.fit.Fit;
import sivi.data.Json;
import sivi.fit.TensorFile;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/** Writes the files of a run; every write goes to a temporary sibling and is renamed, so no file is ever half written. */
final class RunFiles {
    private RunFiles() {}

    static void write(Path file, byte[] bytes) throws IOException { TensorFile.writeAtomically(file, bytes); }

    static void write(Path file, String text) throws IOException { write(file, text.getBytes(StandardCharsets.UTF_8)); }

    static void writeJson(Path file, Object value) throws IOException { write(file, Json.write(value)); }

    /** The samples with a CmdStan-style header: model, method = variational, algorithm = the method's name, seed, …. */
    static void writeSamples(Path file, SampleFormat format, List<String> names, Tensor draws, Target target, String method, long seed) throws IOException {
        Map<String, String> comments = new LinkedHashMap<>();
        comments.put("model", target.name());
        comments.put("method", "variational");
        comments.put("algorithm", method);
        comments.put("seed", Long.toString(seed));
        comments.put("num_samples", Integer.toString(draws.dim(0)));
        comments.put("num_warmup", "0");
        comments.put("save_warmup", "0");
        comments.put("thin", "1");
        write(file, SampleIO.encode(format, names, draws, target, comments));
    }

    /**
     * trace.csv: iteration, objective, elapsed (seconds), then the method's extras. A resumed run keeps
     * the earlier rows (iteration below its start) and continues the elapsed clock from them.
     */
    static void writeTrace(Path file, Fit fit) throws IOException {
        Fit.Trace t = fit.trace();
        StringBuilder b = new StringBuilder("iteration,objective,elapsed");
        t.extras().keySet().forEach(k -> b.append(',').append(k));
        b.append('\n');
        double offset = 0;
        if (fit.startIteration() > 0 && Files.exists(file)) {
            List<String> old = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : old.subList(Math.min(1, old.size()), old.size())) {
                String[] c = line.split(",");
                if (c.length < 3 || Integer.parseInt(c[0]) >= fit.startIteration()) continue;
                // keep only the columns this run also has, so the file stays rectangular
                b.append(c[0]).append(',').append(c[1]).append(',').append(c[2]);
                for (int k = 0; k < t.extras().size(); k++) b.append(',').append(3 + k < c.length ? c[3 + k] : "");
                b.append('\n');
                offset = Math.max(offset, Double.parseDouble(c[2]));
            }
        }
        for (int i = 0; i < t.size(); i++) {
            b.append(t.iteration()[i]).append(',').append(t.objective()[i]).append(',').append(offset + t.elapsed()[i]);
            for (double[] e : t.extras().values()) b.append(',').append(e[i]);
            b.append('\n');
        }
        write(file, b.toString());
    }
}
