package sivi.kernels.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Hand-written FFM (java.lang.foreign) downcalls into the OpenCL ICD loader {@code libOpenCL.so.1},
 * following the OpenCL 1.2/2.0 C API. Only the calls sivi needs. Every call returning an error
 * code goes through {@link #check}, so failures name the call and the code.
 *
 * <p>Type mapping on LP64 Linux: cl_int/cl_uint/cl_bool/enums = int, cl_ulong/bitfields and
 * size_t = long, handles and pointers = address.
 */
public final class OpenCl {

    // ------------------------------------------------------------------ constants (cl.h)
    public static final int CL_SUCCESS = 0;
    public static final long CL_DEVICE_TYPE_CPU = 1L << 1, CL_DEVICE_TYPE_GPU = 1L << 2, CL_DEVICE_TYPE_ACCELERATOR = 1L << 3, CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;
    public static final int CL_PLATFORM_VERSION = 0x0901, CL_PLATFORM_NAME = 0x0902, CL_PLATFORM_VENDOR = 0x0903;
    public static final int CL_DEVICE_TYPE = 0x1000, CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002, CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004,
            CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F, CL_DEVICE_LOCAL_MEM_SIZE = 0x1023, CL_DEVICE_NAME = 0x102B, CL_DEVICE_VENDOR = 0x102C,
            CL_DRIVER_VERSION = 0x102D, CL_DEVICE_VERSION = 0x102F, CL_DEVICE_EXTENSIONS = 0x1030;
    public static final int CL_QUEUE_PROPERTIES = 0x1093;
    public static final long CL_QUEUE_PROFILING_ENABLE = 1L << 1;
    public static final long CL_MEM_READ_WRITE = 1, CL_MEM_WRITE_ONLY = 2, CL_MEM_READ_ONLY = 4;
    public static final int CL_PROGRAM_BINARY_SIZES = 0x1165, CL_PROGRAM_BINARIES = 0x1166, CL_PROGRAM_BUILD_LOG = 0x1183;
    public static final int CL_PROFILING_COMMAND_START = 0x1282, CL_PROFILING_COMMAND_END = 0x1283;

    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(0, "CL_SUCCESS"), Map.entry(-1, "CL_DEVICE_NOT_FOUND"), Map.entry(-2, "CL_DEVICE_NOT_AVAILABLE"),
            Map.entry(-3, "CL_COMPILER_NOT_AVAILABLE"), Map.entry(-4, "CL_MEM_OBJECT_ALLOCATION_FAILURE"), Map.entry(-5, "CL_OUT_OF_RESOURCES"),
            Map.entry(-6, "CL_OUT_OF_HOST_MEMORY"), Map.entry(-7, "CL_PROFILING_INFO_NOT_AVAILABLE"), Map.entry(-8, "CL_MEM_COPY_OVERLAP"),
            Map.entry(-9, "CL_IMAGE_FORMAT_MISMATCH"), Map.entry(-10, "CL_IMAGE_FORMAT_NOT_SUPPORTED"), Map.entry(-11, "CL_BUILD_PROGRAM_FAILURE"),
            Map.entry(-12, "CL_MAP_FAILURE"), Map.entry(-13, "CL_MISALIGNED_SUB_BUFFER_OFFSET"), Map.entry(-14, "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST"),
            Map.entry(-15, "CL_COMPILE_PROGRAM_FAILURE"), Map.entry(-16, "CL_LINKER_NOT_AVAILABLE"), Map.entry(-17, "CL_LINK_PROGRAM_FAILURE"),
            Map.entry(-18, "CL_DEVICE_PARTITION_FAILED"), Map.entry(-19, "CL_KERNEL_ARG_INFO_NOT_AVAILABLE"),
            Map.entry(-30, "CL_INVALID_VALUE"), Map.entry(-31, "CL_INVALID_DEVICE_TYPE"), Map.entry(-32, "CL_INVALID_PLATFORM"),
            Map.entry(-33, "CL_INVALID_DEVICE"), Map.entry(-34, "CL_INVALID_CONTEXT"), Map.entry(-35, "CL_INVALID_QUEUE_PROPERTIES"),
            Map.entry(-36, "CL_INVALID_COMMAND_QUEUE"), Map.entry(-37, "CL_INVALID_HOST_PTR"), Map.entry(-38, "CL_INVALID_MEM_OBJECT"),
            Map.entry(-39, "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR"), Map.entry(-40, "CL_INVALID_IMAGE_SIZE"), Map.entry(-41, "CL_INVALID_SAMPLER"),
            Map.entry(-42, "CL_INVALID_BINARY"), Map.entry(-43, "CL_INVALID_BUILD_OPTIONS"), Map.entry(-44, "CL_INVALID_PROGRAM"),
            Map.entry(-45, "CL_INVALID_PROGRAM_EXECUTABLE"), Map.entry(-46, "CL_INVALID_KERNEL_NAME"), Map.entry(-47, "CL_INVALID_KERNEL_DEFINITION"),
            Map.entry(-48, "CL_INVALID_KERNEL"), Map.entry(-49, "CL_INVALID_ARG_INDEX"), Map.entry(-50, "CL_INVALID_ARG_VALUE"),
            Map.entry(-51, "CL_INVALID_ARG_SIZE"), Map.entry(-52, "CL_INVALID_KERNEL_ARGS"), Map.entry(-53, "CL_INVALID_WORK_DIMENSION"),
            Map.entry(-54, "CL_INVALID_WORK_GROUP_SIZE"), Map.entry(-55, "CL_INVALID_WORK_ITEM_SIZE"), Map.entry(-56, "CL_INVALID_GLOBAL_OFFSET"),
            Map.entry(-57, "CL_INVALID_EVENT_WAIT_LIST"), Map.entry(-58, "CL_INVALID_EVENT"), Map.entry(-59, "CL_INVALID_OPERATION"),
            Map.entry(-60, "CL_INVALID_GL_OBJECT"), Map.entry(-61, "CL_INVALID_BUFFER_SIZE"), Map.entry(-62, "CL_INVALID_MIP_LEVEL"),
            Map.entry(-63, "CL_INVALID_GLOBAL_WORK_SIZE"), Map.entry(-64, "CL_INVALID_PROPERTY"), Map.entry(-65, "CL_INVALID_IMAGE_DESCRIPTOR"),
            Map.entry(-66, "CL_INVALID_COMPILER_OPTIONS"), Map.entry(-67, "CL_INVALID_LINKER_OPTIONS"), Map.entry(-68, "CL_INVALID_DEVICE_PARTITION_COUNT"),
            Map.entry(-69, "CL_INVALID_PIPE_SIZE"), Map.entry(-70, "CL_INVALID_DEVICE_QUEUE"), Map.entry(-1001, "CL_PLATFORM_NOT_FOUND_KHR"));

    /** The symbolic name of an OpenCL error code, e.g. -5 → CL_OUT_OF_RESOURCES. */
    public static String errorName(int code) { return ERRORS.getOrDefault(code, "UNKNOWN_OPENCL_ERROR"); }

    /** What to tell a user whose machine has no OpenCL runtime. */
    public static final String INSTALL_HINT =
            "Looked for the OpenCL ICD loader libOpenCL.so.1 and at least one platform/device registered in /etc/OpenCL/vendors. "
            + "For a CPU device install PoCL: apt-get install pocl-opencl-icd ocl-icd-libopencl1 (or run scripts/install-opencl.sh); "
            + "for a GPU install the vendor's OpenCL ICD (see kernels/OPENCL.md).";

    // ------------------------------------------------------------------ loading

    private static volatile OpenCl instance;

    /** The bindings; loads libOpenCL.so.1 on first use. Throws {@link OpenClException} with install advice if it is missing. */
    public static OpenCl get() {
        OpenCl i = instance;
        if (i == null) {
            synchronized (OpenCl.class) {
                if (instance == null) instance = new OpenCl();
                i = instance;
            }
        }
        return i;
    }

    private final MethodHandle getPlatformIDs, getPlatformInfo, getDeviceIDs, getDeviceInfo, createContext, createQueueWithProperties,
            createQueue, createBuffer, enqueueWriteBuffer, enqueueReadBuffer, enqueueReadBufferRect, createProgramWithSource,
            createProgramWithBinary, buildProgram, getProgramBuildInfo, getProgramInfo, createKernel, setKernelArg, enqueueNDRangeKernel,
            finish, waitForEvents, getEventProfilingInfo, releaseEvent, releaseMemObject, releaseKernel, releaseProgram,
            releaseCommandQueue, releaseContext;

    private final SymbolLookup lib;
    private final Linker linker = Linker.nativeLinker();

    private OpenCl() {
        try {
            lib = SymbolLookup.libraryLookup("libOpenCL.so.1", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new OpenClException("OpenCL is not available: cannot load libOpenCL.so.1 (" + e.getMessage() + "). " + INSTALL_HINT);
        }
        getPlatformIDs = fn("clGetPlatformIDs", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        getPlatformInfo = fn("clGetPlatformInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        getDeviceIDs = fn("clGetDeviceIDs", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        getDeviceInfo = fn("clGetDeviceInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        createContext = fn("clCreateContext", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        createQueueWithProperties = fn("clCreateCommandQueueWithProperties", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        createQueue = fn("clCreateCommandQueue", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        createBuffer = fn("clCreateBuffer", ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
        enqueueWriteBuffer = fn("clEnqueueWriteBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueReadBuffer = fn("clEnqueueReadBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueReadBufferRect = fn("clEnqueueReadBufferRect", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        createProgramWithSource = fn("clCreateProgramWithSource", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        createProgramWithBinary = fn("clCreateProgramWithBinary", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        buildProgram = fn("clBuildProgram", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        getProgramBuildInfo = fn("clGetProgramBuildInfo", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        getProgramInfo = fn("clGetProgramInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        createKernel = fn("clCreateKernel", ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        setKernelArg = fn("clSetKernelArg", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
        enqueueNDRangeKernel = fn("clEnqueueNDRangeKernel", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        finish = fn("clFinish", JAVA_INT, ADDRESS);
        waitForEvents = fn("clWaitForEvents", JAVA_INT, JAVA_INT, ADDRESS);
        getEventProfilingInfo = fn("clGetEventProfilingInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        releaseEvent = fn("clReleaseEvent", JAVA_INT, ADDRESS);
        releaseMemObject = fn("clReleaseMemObject", JAVA_INT, ADDRESS);
        releaseKernel = fn("clReleaseKernel", JAVA_INT, ADDRESS);
        releaseProgram = fn("clReleaseProgram", JAVA_INT, ADDRESS);
        releaseCommandQueue = fn("clReleaseCommandQueue", JAVA_INT, ADDRESS);
        releaseContext = fn("clReleaseContext", JAVA_INT, ADDRESS);
    }

    /** A downcall handle; a symbol the loader lacks (very old ICD) yields null and fails only when used. */
    private MethodHandle fn(String name, java.lang.foreign.MemoryLayout ret, java.lang.foreign.MemoryLayout... args) {
        return lib.find(name).map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ret, args))).orElse(null);
    }

    static void check(String call, int code) {
        if (code != CL_SUCCESS) throw new OpenClException(call, code, null);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new RuntimeException(t);
    }

    private static MethodHandle need(MethodHandle h, String name) {
        if (h == null) throw new OpenClException("OpenCL loader lacks " + name + " (OpenCL 1.2+ ICD loader required). " + INSTALL_HINT);
        return h;
    }

    // ------------------------------------------------------------------ discovery

    /** All platform handles (empty if the loader finds no ICD: CL_PLATFORM_NOT_FOUND_KHR is not an error here). */
    public MemorySegment[] platforms() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            int rc = (int) getPlatformIDs.invokeExact(0, MemorySegment.NULL, n);
            if (rc == -1001 || (rc == CL_SUCCESS && n.get(JAVA_INT, 0) == 0)) return new MemorySegment[0];
            check("clGetPlatformIDs", rc);
            int count = n.get(JAVA_INT, 0);
            MemorySegment ids = a.allocate(ADDRESS, count);
            check("clGetPlatformIDs", (int) getPlatformIDs.invokeExact(count, ids, n));
            MemorySegment[] out = new MemorySegment[count];
            for (int i = 0; i < count; i++) out[i] = ids.getAtIndex(ADDRESS, i);
            return out;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public String platformString(MemorySegment platform, int param) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            check("clGetPlatformInfo", (int) getPlatformInfo.invokeExact(platform, param, 0L, MemorySegment.NULL, size));
            MemorySegment buf = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            check("clGetPlatformInfo", (int) getPlatformInfo.invokeExact(platform, param, buf.byteSize(), buf, MemorySegment.NULL));
            return buf.getString(0, StandardCharsets.UTF_8).trim();
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Device handles of a platform (empty when it has none of the type). */
    public MemorySegment[] devices(MemorySegment platform, long type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            int rc = (int) getDeviceIDs.invokeExact(platform, type, 0, MemorySegment.NULL, n);
            if (rc == -1) return new MemorySegment[0]; // CL_DEVICE_NOT_FOUND
            check("clGetDeviceIDs", rc);
            int count = n.get(JAVA_INT, 0);
            MemorySegment ids = a.allocate(ADDRESS, Math.max(1, count));
            check("clGetDeviceIDs", (int) getDeviceIDs.invokeExact(platform, type, count, ids, n));
            MemorySegment[] out = new MemorySegment[count];
            for (int i = 0; i < count; i++) out[i] = ids.getAtIndex(ADDRESS, i);
            return out;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public String deviceString(MemorySegment device, int param) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            check("clGetDeviceInfo", (int) getDeviceInfo.invokeExact(device, param, 0L, MemorySegment.NULL, size));
            MemorySegment buf = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            check("clGetDeviceInfo", (int) getDeviceInfo.invokeExact(device, param, buf.byteSize(), buf, MemorySegment.NULL));
            return buf.getString(0, StandardCharsets.UTF_8).trim();
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** A numeric device property of 4 or 8 bytes (cl_uint, cl_ulong, size_t, bitfields). */
    public long deviceLong(MemorySegment device, int param, int bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(8);
            check("clGetDeviceInfo", (int) getDeviceInfo.invokeExact(device, param, (long) bytes, buf, MemorySegment.NULL));
            return bytes == 4 ? Integer.toUnsignedLong(buf.get(JAVA_INT, 0)) : buf.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ------------------------------------------------------------------ context, queue, buffers

    public MemorySegment createContext(MemorySegment device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment devs = a.allocate(ADDRESS);
            devs.set(ADDRESS, 0, device);
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment ctx = (MemorySegment) createContext.invokeExact(MemorySegment.NULL, 1, devs, MemorySegment.NULL, MemorySegment.NULL, err);
            check("clCreateContext", err.get(JAVA_INT, 0));
            return ctx;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** An in-order queue with profiling enabled; uses the OpenCL 2.0 call where the device supports it. */
    public MemorySegment createQueue(MemorySegment context, MemorySegment device, boolean openCl2) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment q;
            if (openCl2 && createQueueWithProperties != null) {
                MemorySegment props = a.allocate(JAVA_LONG, 3);
                props.setAtIndex(JAVA_LONG, 0, CL_QUEUE_PROPERTIES);
                props.setAtIndex(JAVA_LONG, 1, CL_QUEUE_PROFILING_ENABLE);
                props.setAtIndex(JAVA_LONG, 2, 0);
                q = (MemorySegment) createQueueWithProperties.invokeExact(context, device, props, err);
                check("clCreateCommandQueueWithProperties", err.get(JAVA_INT, 0));
            } else {
                q = (MemorySegment) need(createQueue, "clCreateCommandQueue").invokeExact(context, device, CL_QUEUE_PROFILING_ENABLE, err);
                check("clCreateCommandQueue", err.get(JAVA_INT, 0));
            }
            return q;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment createBuffer(MemorySegment context, long flags, long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment m = (MemorySegment) createBuffer.invokeExact(context, flags, bytes, MemorySegment.NULL, err);
            int rc = err.get(JAVA_INT, 0);
            if (rc != CL_SUCCESS) throw new OpenClException("clCreateBuffer", rc, "requested " + bytes + " bytes");
            return m;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Blocking host→device copy of {@code src} to the start of {@code mem}; returns the event (caller releases). */
    public MemorySegment write(MemorySegment queue, MemorySegment mem, MemorySegment src, Arena arena) {
        try {
            MemorySegment ev = arena.allocate(ADDRESS);
            check("clEnqueueWriteBuffer", (int) enqueueWriteBuffer.invokeExact(queue, mem, 1, 0L, src.byteSize(), src, 0, MemorySegment.NULL, ev));
            return ev.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Blocking device→host copy of {@code dst.byteSize()} bytes from the start of {@code mem}; returns the event. */
    public MemorySegment read(MemorySegment queue, MemorySegment mem, MemorySegment dst, Arena arena) {
        try {
            MemorySegment ev = arena.allocate(ADDRESS);
            check("clEnqueueReadBuffer", (int) enqueueReadBuffer.invokeExact(queue, mem, 1, 0L, dst.byteSize(), dst, 0, MemorySegment.NULL, ev));
            return ev.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Blocking read of {@code rows} rows of {@code rowBytes} from a buffer with row pitch {@code pitchBytes} into packed host rows. */
    public MemorySegment readRect(MemorySegment queue, MemorySegment mem, MemorySegment dst, long rows, long rowBytes, long pitchBytes, Arena arena) {
        try {
            MemorySegment origin = arena.allocate(JAVA_LONG, 3), region = arena.allocate(JAVA_LONG, 3);
            region.setAtIndex(JAVA_LONG, 0, rowBytes);
            region.setAtIndex(JAVA_LONG, 1, rows);
            region.setAtIndex(JAVA_LONG, 2, 1);
            MemorySegment ev = arena.allocate(ADDRESS);
            check("clEnqueueReadBufferRect", (int) need(enqueueReadBufferRect, "clEnqueueReadBufferRect").invokeExact(queue, mem, 1, origin, origin, region,
                    pitchBytes, 0L, rowBytes, 0L, dst, 0, MemorySegment.NULL, ev));
            return ev.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ------------------------------------------------------------------ programs and kernels

    public MemorySegment createProgramWithSource(MemorySegment context, String source) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocateFrom(source, StandardCharsets.UTF_8);
            MemorySegment strings = a.allocate(ADDRESS);
            strings.set(ADDRESS, 0, src);
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment p = (MemorySegment) createProgramWithSource.invokeExact(context, 1, strings, MemorySegment.NULL, err);
            check("clCreateProgramWithSource", err.get(JAVA_INT, 0));
            return p;
        } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment createProgramWithBinary(MemorySegment context, MemorySegment device, byte[] binary) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment devs = a.allocate(ADDRESS);
            devs.set(ADDRESS, 0, device);
            MemorySegment bin = a.allocate(binary.length);
            MemorySegment.copy(binary, 0, bin, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, binary.length);
            MemorySegment lengths = a.allocate(JAVA_LONG);
            lengths.set(JAVA_LONG, 0, binary.length);
            MemorySegment bins = a.allocate(ADDRESS);
            bins.set(ADDRESS, 0, bin);
            MemorySegment status = a.allocate(JAVA_INT), err = a.allocate(JAVA_INT);
            MemorySegment p = (MemorySegment) createProgramWithBinary.invokeExact(context, 1, devs, lengths, bins, status, err);
            check("clCreateProgramWithBinary", err.get(JAVA_INT, 0));
            check("clCreateProgramWithBinary (binary status)", status.get(JAVA_INT, 0));
            return p;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Builds for one device; a failure carries the build log. */
    public void buildProgram(MemorySegment program, MemorySegment device, String options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment devs = a.allocate(ADDRESS);
            devs.set(ADDRESS, 0, device);
            int rc = (int) buildProgram.invokeExact(program, 1, devs, a.allocateFrom(options, StandardCharsets.UTF_8), MemorySegment.NULL, MemorySegment.NULL);
            if (rc != CL_SUCCESS) throw new OpenClException("clBuildProgram", rc, "options: " + options + "\nbuild log:\n" + buildLog(program, device));
        } catch (Throwable t) { throw rethrow(t); }
    }

    public String buildLog(MemorySegment program, MemorySegment device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            check("clGetProgramBuildInfo", (int) getProgramBuildInfo.invokeExact(program, device, CL_PROGRAM_BUILD_LOG, 0L, MemorySegment.NULL, size));
            MemorySegment buf = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            check("clGetProgramBuildInfo", (int) getProgramBuildInfo.invokeExact(program, device, CL_PROGRAM_BUILD_LOG, buf.byteSize(), buf, MemorySegment.NULL));
            return buf.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** The device binary of a program built for exactly one device. */
    public byte[] programBinary(MemorySegment program) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sizes = a.allocate(JAVA_LONG);
            check("clGetProgramInfo", (int) getProgramInfo.invokeExact(program, CL_PROGRAM_BINARY_SIZES, 8L, sizes, MemorySegment.NULL));
            long n = sizes.get(JAVA_LONG, 0);
            MemorySegment bin = a.allocate(Math.max(1, n));
            MemorySegment ptrs = a.allocate(ADDRESS);
            ptrs.set(ADDRESS, 0, bin);
            check("clGetProgramInfo", (int) getProgramInfo.invokeExact(program, CL_PROGRAM_BINARIES, ADDRESS.byteSize(), ptrs, MemorySegment.NULL));
            return bin.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment createKernel(MemorySegment program, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment k = (MemorySegment) createKernel.invokeExact(program, a.allocateFrom(name, StandardCharsets.UTF_8), err);
            int rc = err.get(JAVA_INT, 0);
            if (rc != CL_SUCCESS) throw new OpenClException("clCreateKernel", rc, "kernel " + name);
            return k;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Sets argument {@code index} to the bytes of {@code value} (a cl_mem handle, an int, a float or a double). */
    public void setArg(MemorySegment kernel, int index, MemorySegment value, String kernelName) {
        try {
            int rc = (int) setKernelArg.invokeExact(kernel, index, value.byteSize(), value);
            if (rc != CL_SUCCESS) throw new OpenClException("clSetKernelArg", rc, "kernel " + kernelName + ", argument " + index);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Enqueues an NDRange launch; returns its event (caller releases). */
    public MemorySegment enqueue(MemorySegment queue, MemorySegment kernel, long[] global, long[] local, Arena arena, String kernelName) {
        try {
            MemorySegment g = arena.allocateFrom(JAVA_LONG, global), l = arena.allocateFrom(JAVA_LONG, local);
            MemorySegment ev = arena.allocate(ADDRESS);
            int rc = (int) enqueueNDRangeKernel.invokeExact(queue, kernel, global.length, MemorySegment.NULL, g, l, 0, MemorySegment.NULL, ev);
            if (rc != CL_SUCCESS) throw new OpenClException("clEnqueueNDRangeKernel", rc,
                    "kernel " + kernelName + ", global " + java.util.Arrays.toString(global) + ", local " + java.util.Arrays.toString(local));
            return ev.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void finish(MemorySegment queue) {
        try { check("clFinish", (int) finish.invokeExact(queue)); } catch (Throwable t) { throw rethrow(t); }
    }

    public void waitFor(MemorySegment event) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment list = a.allocate(ADDRESS);
            list.set(ADDRESS, 0, event);
            check("clWaitForEvents", (int) waitForEvents.invokeExact(1, list));
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** END − START of a completed event in nanoseconds (the queue has profiling enabled). */
    public long eventNanos(MemorySegment event) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t0 = a.allocate(JAVA_LONG), t1 = a.allocate(JAVA_LONG);
            check("clGetEventProfilingInfo", (int) getEventProfilingInfo.invokeExact(event, CL_PROFILING_COMMAND_START, 8L, t0, MemorySegment.NULL));
            check("clGetEventProfilingInfo", (int) getEventProfilingInfo.invokeExact(event, CL_PROFILING_COMMAND_END, 8L, t1, MemorySegment.NULL));
            return t1.get(JAVA_LONG, 0) - t0.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void releaseEvent(MemorySegment h) { release("clReleaseEvent", releaseEvent, h); }
    public void releaseMem(MemorySegment h) { release("clReleaseMemObject", releaseMemObject, h); }
    public void releaseKernel(MemorySegment h) { release("clReleaseKernel", releaseKernel, h); }
    public void releaseProgram(MemorySegment h) { release("clReleaseProgram", releaseProgram, h); }
    public void releaseQueue(MemorySegment h) { release("clReleaseCommandQueue", releaseCommandQueue, h); }
    public void releaseContext(MemorySegment h) { release("clReleaseContext", releaseContext, h); }

    private static void release(String call, MethodHandle h, MemorySegment handle) {
        try { check(call, (int) h.invokeExact(handle)); } catch (Throwable t) { throw rethrow(t); }
    }
}
