package sivi.kernels.opencl;

/**
 * What an {@link OpenClBackend} has done since creation (or the last reset): host→device and
 * device→host copies (calls and bytes), kernel launches, device time of kernels and of copies
 * from profiling events (END − START, nanoseconds), and ops computed on the host instead.
 */
public record Stats(long h2dCalls, long h2dBytes, long d2hCalls, long d2hBytes, long launches, long kernelNanos, long transferNanos, long hostOps) {
    @Override public String toString() {
        return String.format(java.util.Locale.ROOT, "h2d %d calls %d B, d2h %d calls %d B, %d launches, kernel %.3f ms, transfer %.3f ms, %d host ops",
                h2dCalls, h2dBytes, d2hCalls, d2hBytes, launches, kernelNanos / 1e6, transferNanos / 1e6, hostOps);
    }
}
