package sivi.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sivi.bench.harness.BenchTool;

/**
 * {@code sivi bench ...}: the benchmark harness ({@link BenchTool#run}), which parses its own
 * arguments; this command only adds the help text and passes the exit code through (0 ok, 1 a
 * regression with --fail-on-regression or an I/O error, 2 usage error).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks (nothing is asserted about speed; compare only flags).", "Commands:",
                "  kernels [--quick] [--json FILE]",
                "      kernel throughput per backend (GFLOP/s), with an FMA-peak calibration",
                "  step --method M --target T [--batch N] [--threads T] [--json FILE]",
                "      median ms per training iteration (also --backend NAME, --dtype f32|f64);",
                "      --method, --batch and --threads take comma-separated lists (a sweep)",
                "  threads --method M --target T [--batch N] [--threads T]",
                "      speed-up from 1 to T threads (default 2) in alternating rounds, beside",
                "      the host's ceiling for parallel FMA work in the same rounds",
                "      (also --rounds R, --block B: rounds of B steps each)",
                "  jars --old JAR [--new JAR] --method M --target T [--batch N] [--threads T]",
                "      the same step of two builds (default new: this one) in alternating",
                "      rounds in one JVM: ms of each and the median ratio old/new",
                "      (also --rounds R, --block B, --dtype f32|f64)",
                "  breakdown [--batch N] [--backend NAME] [--threads T]",
                "      ms per call of each kernel a ksivi / sivi-sm banana step calls",
                "  compare --baseline FILE [--quick] [--fail-on-regression]",
                "      machine-normalised ratios against a baseline report.json",
                "  report --out DIR [--quick]",
                "      report.md, report.json and plots",
                "kernels, compare and report also take --no-opencl; every command takes",
                "--debug (the stack trace of a failure). Exit codes: 0 ok,",
                "1 regression (with --fail-on-regression) or I/O error, 2 usage error."})
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "kernels, step, threads, jars, breakdown, compare or report, then its options.")
    List<String> args = new ArrayList<>();

    @Override public Integer call() {
        if (args.contains("--help") || args.contains("-h")) { spec.commandLine().usage(spec.commandLine().getOut()); return Main.OK; }
        try (PrintStream out = stream(spec.commandLine().getOut()); PrintStream err = stream(spec.commandLine().getErr())) {
            return BenchTool.run(args.toArray(String[]::new), out, err);
        }
    }

    /** A PrintStream over picocli's writer (UTF-8 bytes decoded as they arrive; closing flushes, never closes the writer). */
    static PrintStream stream(PrintWriter w) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        OutputStream os = new OutputStream() {
            private final ByteBuffer in = ByteBuffer.allocate(4096);
            private final CharBuffer chars = CharBuffer.allocate(4096);

            @Override public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

            @Override public void write(byte[] b, int off, int len) {
                while (len > 0) {
                    int n = Math.min(len, in.remaining());
                    in.put(b, off, n);
                    off += n; len -= n;
                    drain();
                }
            }

            /** Decodes what is complete; an incomplete multi-byte sequence stays in the buffer. */
            private void drain() {
                in.flip();
                while (true) {
                    var result = dec.decode(in, chars, false);
                    chars.flip();
                    w.append(chars);
                    chars.clear();
                    if (!result.isOverflow()) break;
                }
                in.compact();
            }

            @Override public void flush() { w.flush(); }

            @Override public void close() { flush(); }
        };
        return new PrintStream(os, true, StandardCharsets.UTF_8);
    }
}
