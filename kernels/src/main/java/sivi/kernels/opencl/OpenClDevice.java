package sivi.kernels.opencl;

import java.lang.foreign.MemorySegment;

/**
 * One OpenCL device as seen by {@link Devices#list()}. {@code index} is the global position over
 * all platforms, as accepted by {@code --device N}.
 */
public record OpenClDevice(int index, String platform, String name, String vendor, String type, int computeUnits,
                           long globalMemBytes, long maxWorkGroupSize, boolean fp64, String version, String driver,
                           MemorySegment platformId, MemorySegment deviceId) {

    public boolean isGpu() { return type.equals("GPU"); }

    /** Whether the queue can use the OpenCL 2.0 clCreateCommandQueueWithProperties. */
    boolean openCl2() { return !version.startsWith("OpenCL 1."); }

    /** One line for listings: index, type, name, platform, units, memory, fp64. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d: %s %s [%s] %d compute units, %d MiB global memory, fp64 %s, %s",
                index, type, name, platform, computeUnits, globalMemBytes >> 20, fp64 ? "yes" : "no", version);
    }
}
