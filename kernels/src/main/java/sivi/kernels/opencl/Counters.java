package sivi.kernels.opencl;

/** Mutable transfer/launch counters of one backend; {@link OpenClBackend#stats()} snapshots them. */
final class Counters {
    long h2dCalls, h2dBytes, d2hCalls, d2hBytes, launches, kernelNanos, transferNanos, hostOps;

    Stats snapshot() { return new Stats(h2dCalls, h2dBytes, d2hCalls, d2hBytes, launches, kernelNanos, transferNanos, hostOps); }

    void reset() { h2dCalls = h2dBytes = d2hCalls = d2hBytes = launches = kernelNanos = transferNanos = hostOps = 0; }
}
