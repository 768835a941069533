package sivi.kernels.opencl;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Discovers OpenCL platforms and devices (for {@code --device N} and the {@code sivi devices} listing). */
public final class Devices {
    private Devices() {}

    /** Every device of every platform, in platform order. Throws {@link OpenClException} if libOpenCL.so.1 is missing. */
    public static List<OpenClDevice> list() {
        OpenCl cl = OpenCl.get();
        List<OpenClDevice> out = new ArrayList<>();
        for (MemorySegment p : cl.platforms()) {
            String platform = cl.platformString(p, OpenCl.CL_PLATFORM_NAME);
            for (MemorySegment d : cl.devices(p, OpenCl.CL_DEVICE_TYPE_ALL)) {
                long type = cl.deviceLong(d, OpenCl.CL_DEVICE_TYPE, 8);
                String t = (type & OpenCl.CL_DEVICE_TYPE_GPU) != 0 ? "GPU" : (type & OpenCl.CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                        : (type & OpenCl.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
                String ext = cl.deviceString(d, OpenCl.CL_DEVICE_EXTENSIONS);
                out.add(new OpenClDevice(out.size(), platform, cl.deviceString(d, OpenCl.CL_DEVICE_NAME), cl.deviceString(d, OpenCl.CL_DEVICE_VENDOR), t,
                        (int) cl.deviceLong(d, OpenCl.CL_DEVICE_MAX_COMPUTE_UNITS, 4), cl.deviceLong(d, OpenCl.CL_DEVICE_GLOBAL_MEM_SIZE, 8),
                        cl.deviceLong(d, OpenCl.CL_DEVICE_MAX_WORK_GROUP_SIZE, 8), List.of(ext.split("\\s+")).contains("cl_khr_fp64"),
                        cl.deviceString(d, OpenCl.CL_DEVICE_VERSION), cl.deviceString(d, OpenCl.CL_DRIVER_VERSION), p, d));
            }
        }
        return out;
    }

    /** The device with global index {@code n}; a clear error if there is none. */
    public static OpenClDevice get(int n) {
        List<OpenClDevice> all = list();
        if (all.isEmpty()) throw new OpenClException("OpenCL: libOpenCL.so.1 loaded but it reports no platform or device. " + OpenCl.INSTALL_HINT);
        if (n < 0 || n >= all.size())
            throw new IllegalArgumentException("--device " + n + " does not exist; devices are 0.." + (all.size() - 1) + ":\n" + describe(all));
        return all.get(n);
    }

    /** True if libOpenCL.so.1 loads and reports at least one GPU; never throws (used by {@code auto}). */
    public static boolean hasGpu() {
        return firstGpu() >= 0;
    }

    /** Index of the first GPU device, or −1 if none (or no OpenCL at all). */
    public static int firstGpu() {
        try {
            for (OpenClDevice d : list()) if (d.isGpu()) return d.index();
            return -1;
        } catch (OpenClException | UnsatisfiedLinkError e) {
            return -1;
        }
    }

    /** The text of {@code sivi devices}: one line per device, or why there are none. */
    public static String describe() {
        try {
            List<OpenClDevice> all = list();
            if (all.isEmpty()) return "OpenCL: no platform or device found. " + OpenCl.INSTALL_HINT + "\n";
            return describe(all);
        } catch (OpenClException e) {
            return e.getMessage() + "\n";
        }
    }

    private static String describe(List<OpenClDevice> all) {
        StringBuilder sb = new StringBuilder("OpenCL devices (use --backend opencl --device N):\n");
        for (OpenClDevice d : all) sb.append("  ").append(d.describe()).append('\n');
        return sb.toString();
    }
}
