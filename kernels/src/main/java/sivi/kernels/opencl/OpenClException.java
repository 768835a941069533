package sivi.kernels.opencl;

/**
 * An OpenCL call failed. The message names the call, the numeric error code and its symbolic
 * name (e.g. {@code clBuildProgram failed: -11 CL_BUILD_PROGRAM_FAILURE}), plus any detail such
 * as the build log.
 */
public final class OpenClException extends RuntimeException {
    private final String call;
    private final int code;

    public OpenClException(String call, int code, String detail) {
        super(call + " failed: " + code + " " + OpenCl.errorName(code) + (detail == null || detail.isEmpty() ? "" : "\n" + detail));
        this.call = call;
        this.code = code;
    }

    /** A failure that is not an OpenCL error code (missing library, no device, unsupported dtype). */
    public OpenClException(String message) {
        super(message);
        this.call = null;
        this.code = 0;
    }

    /** The OpenCL function that failed, or null. */
    public String call() { return call; }

    /** The OpenCL error code (negative), or 0. */
    public int code() { return code; }
}
