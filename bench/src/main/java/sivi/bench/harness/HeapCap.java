package sivi.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.tensor.DType;

/**
 * Whether a method's training steps run in a capped heap: a child JVM with {@code -Xmx} set runs a few steps (SIMD
 * backend, 1 thread, f32, the default preset with the batch overridden) and exits 0, or 3 on OutOfMemoryError. The
 * large-N table's memory check: a cap below 4N² bytes — one N×N f32 array — that a step still runs in shows that it
 * never holds such an array, whatever it allocates and drops on the way (the per-iteration allocation counts churn,
 * not what is held).
 */
public final class HeapCap {
    private HeapCap() {}

    /** Exit status of a child that ran out of memory. */
    static final int OUT_OF_MEMORY = 3;

    public record Check(String method, String target, int batch, int capMb, String outcome) {
        /** "yes", "no (out of memory)" or why the check could not run. */
        public boolean passed() { return outcome.equals("yes"); }
    }

    /** Runs {@code iterations} steps in a child JVM capped at {@code capMb} MB. */
    static Check run(String method, String target, int batch, int capMb, int iterations) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmx" + capMb + "m",
                "-cp", System.getProperty("java.class.path"), HeapCap.class.getName(), method, target, Integer.toString(batch), Integer.toString(iterations)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) { p.destroyForcibly(); return new Check(method, target, batch, capMb, "not finished in 30 min"); }
            return new Check(method, target, batch, capMb, switch (p.exitValue()) {
                case 0 -> "yes";
                case OUT_OF_MEMORY -> "no (out of memory)";
                default -> "failed (exit " + p.exitValue() + ")";
            });
        } catch (IOException e) {
            return new Check(method, target, batch, capMb, "not run (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(method, target, batch, capMb, "interrupted");
        }
    }

    /** The child: METHOD TARGET BATCH ITERATIONS. */
    public static void main(String[] a) {
        try {
            try (Backend b = Backends.create("simd", 1)) {
                Runnable step = JarStepper.on(b, a[0], a[1], Integer.parseInt(a[2]), DType.F32);
                for (int i = 0; i < Integer.parseInt(a[3]); i++) step.run();
            }
        } catch (OutOfMemoryError e) {
            System.exit(OUT_OF_MEMORY);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
