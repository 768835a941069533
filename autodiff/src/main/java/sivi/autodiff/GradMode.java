package sivi.autodiff;

import java.util.function.Supplier;

/**
 * Whether ops record the graph. Gradients of first order run their backward rules with recording
 * off (plain tensors, no graph); {@code createGraph = true} records them so they can be
 * differentiated again. Per thread.
 */
public final class GradMode {
    private GradMode() {}

    private static final ThreadLocal<boolean[]> RECORDING = ThreadLocal.withInitial(() -> new boolean[] {true});

    public static boolean isRecording() { return RECORDING.get()[0]; }

    /** Runs body with recording set as given, restoring the previous mode afterwards. */
    public static <T> T with(boolean recording, Supplier<T> body) {
        boolean[] flag = RECORDING.get();
        boolean old = flag[0];
        flag[0] = recording;
        try { return body.get(); } finally { flag[0] = old; }
    }

    /** Runs body without recording (no graph is built: inference, simulation, optimiser updates). */
    public static <T> T noGrad(Supplier<T> body) { return with(false, body); }
}
