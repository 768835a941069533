package sivi.kernels;

import sivi.kernels.fused.Fused;
import sivi.kernels.opencl.Devices;
import sivi.kernels.opencl.OpenClBackend;
import sivi.kernels.ref.ScalarBackend;
import sivi.kernels.simd.SimdBackend;

/** Creates backends by name: "scalar", "simd", "opencl", or "auto" (SIMD unless a GPU is present). */
public final class Backends {
    private Backends() {}

    public static final java.util.List<String> NAMES = java.util.List.of("auto", "scalar", "simd", "opencl");

    public static Backend create(String name, int threads) { return create(name, threads, 0); }

    /**
     * As {@link #create(String, int)}; {@code device} is the OpenCL device index of
     * {@link Devices#list()} ({@code --device N}) and only matters for "opencl". "opencl" without
     * a runtime or device throws (never a silent fallback); "auto" takes the first OpenCL GPU if
     * there is one and otherwise whatever "simd" gives, or "scalar" when the JVM lacks the Vector API
     * ({@link VectorApi}); "simd" without it throws, naming the JVM option.
     */
    public static Backend create(String name, int threads, int device) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.equals("auto")) {
            int gpu = Devices.firstGpu(); // −1 without OpenCL or without a GPU: a CPU OpenCL device never wins over SIMD
            if (gpu >= 0) return new OpenClBackend(gpu);
        }
        return switch (n) {
            case "scalar" -> new ScalarBackend();
            case "opencl" -> new OpenClBackend(device);
            case "simd", "auto" -> {
                if (VectorApi.PRESENT) yield new SimdBackend(threads);
                if (n.equals("auto")) yield new ScalarBackend();
                throw VectorApi.missing("the simd backend");
            }
            default -> throw new IllegalArgumentException("unknown backend '" + name + "' (accepted: " + String.join(", ", NAMES) + ")");
        };
    }

    /** True if an OpenCL runtime loads and reports at least one device (CPU or GPU); never throws. */
    public static boolean openClAvailable() {
        try { return !Devices.list().isEmpty(); } catch (RuntimeException | LinkageError e) { return false; }
    }

    /**
     * One line per backend ("scalar", "simd", and "opencl" on device 0 when asked and a device exists):
     * which fused ops it runs natively and which as their composite twins ({@link Fused}).
     */
    public static String describeFused(boolean withOpenCl) {
        StringBuilder sb = new StringBuilder("fused ops (native = own kernel, TWIN = composed of the backend's primitives):\n");
        for (String n : withOpenCl && openClAvailable() ? java.util.List.of("scalar", "simd", "opencl") : java.util.List.of("scalar", "simd"))
            try (Backend b = create(n, 1)) { sb.append("  ").append(Fused.describe(b)).append('\n'); }
        return sb.toString();
    }

    /** The OpenCL platforms and devices, one line each (the index is {@code --device N}), or why there are none. */
    public static String describeDevices() { return Devices.describe(); }
}
