package sivi.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Hidden: the workload of the launcher's AOT training run (JDK 25 {@code -XX:AOTCacheOutput}).
 * One JVM runs what users run most (help, the listings, a tiny fit) so their classes land in the cache.
 */
@Command(name = "aot-train", hidden = true, description = "Training workload for the launcher's AOT cache.")
final class AotTrainCommand implements Callable<Integer> {
    @Override public Integer call() throws Exception {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Path dir = Files.createTempDirectory("sivi-aot");
        try {
            for (String[] args : new String[][] {{"--help"}, {"fit", "--help"}, {"targets"}, {"methods"},
                    {"fit", "--iterations", "20", "--batch", "20", "--draws", "50", "--quiet", "--out", dir.resolve("run").toString()}}) {
                int code = Main.run(args, sink, sink);
                if (code != 0) throw new IllegalStateException("AOT training step " + String.join(" ", args) + " exited with " + code);
            }
        } finally {
            try (var s = Files.walk(dir)) { s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
        }
        return Main.OK;
    }
}
