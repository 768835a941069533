package sivi.fit;

import java.nio.file.Path;
import sivi.kernels.Backend;
import sivi.kernels.Kernels;
import sivi.tensor.DType;

/**
 * How to run a fit (everything that is not a method hyper-parameter).
 *
 * @param iterations      total iterations (the run ends at this count, also when resumed)
 * @param seed            the run's seed: iteration i draws from {@code Rng.of(seed, i + 1)}, init from stream 0
 * @param dtype           f32 or f64
 * @param backend         "auto", "scalar", "simd" or "opencl"
 * @param threads         worker threads of the backend
 * @param draws           samples drawn at the end
 * @param checkpoint      checkpoint file (null: none)
 * @param checkpointEvery iterations between checkpoints (≤ 0: only at the end)
 * @param resume          continue from the checkpoint if it exists
 * @param skipNonFinite   skip an update with a non-finite gradient instead of stopping
 * @param device          OpenCL device index of {@code Devices.list()} for backend "opencl" (ignored otherwise)
 * @param stop            when the fit may end before {@code iterations} ({@link StopRule#NONE}: never)
 */
public record FitConfig(int iterations, long seed, DType dtype, String backend, int threads, int draws,
                        Path checkpoint, int checkpointEvery, boolean resume, boolean skipNonFinite, int device, StopRule stop) {
    public FitConfig {
        java.util.Objects.requireNonNull(stop, "stop");
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (draws < 0) throw new IllegalArgumentException("draws must be >= 0, got " + draws);
        if (device < 0) throw new IllegalArgumentException("device must be >= 0, got " + device);
    }

    /** The configuration without a device component (device 0): the constructor before {@code device} was added. */
    public FitConfig(int iterations, long seed, DType dtype, String backend, int threads, int draws,
                     Path checkpoint, int checkpointEvery, boolean resume, boolean skipNonFinite) {
        this(iterations, seed, dtype, backend, threads, draws, checkpoint, checkpointEvery, resume, skipNonFinite, 0, StopRule.NONE);
    }

    public static FitConfig defaults(int iterations) {
        return new FitConfig(iterations, 1, DType.F32, "auto", 1, 1000, null, 0, false, false);
    }

    public FitConfig withSeed(long s) { return new FitConfig(iterations, s, dtype, backend, threads, draws, checkpoint, checkpointEvery, resume, skipNonFinite, device, stop); }
    public FitConfig withDType(DType d) { return new FitConfig(iterations, seed, d, backend, threads, draws, checkpoint, checkpointEvery, resume, skipNonFinite, device, stop); }
    public FitConfig withBackend(String b, int t) { return new FitConfig(iterations, seed, dtype, b, t, draws, checkpoint, checkpointEvery, resume, skipNonFinite, device, stop); }
    /**
     * The kind and thread count of the backend bound by {@link Kernels#with} (else the default): code that
     * runs under a caller's backend, like {@code sivi repro --backend}, trains on the same one.
     */
    public FitConfig withCurrentBackend() { Backend b = Kernels.current(); return withBackend(b.name(), b.threads()); }
    public FitConfig withDraws(int n) { return new FitConfig(iterations, seed, dtype, backend, threads, n, checkpoint, checkpointEvery, resume, skipNonFinite, device, stop); }
    public FitConfig withIterations(int n) { return new FitConfig(n, seed, dtype, backend, threads, draws, checkpoint, checkpointEvery, resume, skipNonFinite, device, stop); }
    public FitConfig withCheckpoint(Path p, int every, boolean res) { return new FitConfig(iterations, seed, dtype, backend, threads, draws, p, every, res, skipNonFinite, device, stop); }
    public FitConfig withDevice(int d) { return new FitConfig(iterations, seed, dtype, backend, threads, draws, checkpoint, checkpointEvery, resume, skipNonFinite, d, stop); }
    public FitConfig withStop(StopRule s) { return new FitConfig(iterations, seed, dtype, backend, threads, draws, checkpoint, checkpointEvery, resume, skipNonFinite, device, s); }
    public FitConfig withSkipNonFinite(boolean s) { return new FitConfig(iterations, seed, dtype, backend, threads, draws, checkpoint, checkpointEvery, resume, s, device, stop); }
}
