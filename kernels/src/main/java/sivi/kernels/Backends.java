package sivi.kernels;

import sivi.kernels.ref.ScalarBackend;
import sivi.kernels.simd.SimdBackend;

/** Creates backends by name: "scalar", "simd", "opencl", or "auto" (SIMD unless a GPU is present). */
public final class Backends {
    private Backends() {}

    public static final java.util.List<String> NAMES = java.util.List.of("auto", "scalar", "simd", "opencl");

    public static Backend create(String name, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "scalar" -> new ScalarBackend();
            case "simd", "auto" -> new SimdBackend(threads);
            default -> throw new IllegalArgumentException("unknown backend '" + name + "' (accepted: " + String.join(", ", NAMES) + ")");
        };
    }
}
