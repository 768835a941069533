package sivi.kernels.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** One OpenCL backend per test JVM (programs are built once, binaries cached on disk). */
final class OpenClTestSupport {
    private OpenClTestSupport() {}

    private static OpenClBackend backend;
    private static String missing;

    /**
     * The backend on device 0. Without an OpenCL device the calling test fails when CI=true (CI
     * installs PoCL, so a missing device is a broken setup) and is skipped with the reason otherwise.
     */
    static synchronized OpenClBackend backendOrSkip() {
        backendOrNull();
        if (backend == null) {
            String why = "no OpenCL device: " + missing;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + " (CI=true: the OpenCL tests must run; .ci/run installs PoCL via scripts/install-opencl.sh)");
            Assumptions.abort(why);
        }
        return backend;
    }

    /** The backend on device 0, or null if there is none (the reason is kept for {@link #backendOrSkip}). */
    static synchronized OpenClBackend backendOrNull() {
        if (backend == null && missing == null) {
            try {
                backend = new OpenClBackend(0);
            } catch (OpenClException e) {
                missing = e.getMessage();
            }
        }
        return backend;
    }
}
