package sivi.kernels.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sivi.kernels.Activation;
import sivi.kernels.Binary;
import sivi.kernels.Reduce;
import sivi.kernels.StationaryKernel;
import sivi.kernels.Unary;
import sivi.tensor.DType;

/**
 * One OpenCL context and in-order profiling queue per device, shared by every backend on that
 * device for the life of the JVM, so that each program is built once per JVM (and its binary is
 * cached on disk across JVMs). Not thread-safe by itself: callers hold the context's monitor.
 */
final class OpenClContext {
    /** Kernel sources, concatenated in this order into one program per dtype. */
    private static final List<String> SOURCES = List.of("common.cl", "elementwise.cl", "reduce.cl", "gemm.cl", "pairwise.cl", "mixture.cl");

    private static final Map<Integer, OpenClContext> BY_DEVICE = new HashMap<>();

    final OpenCl cl;
    final OpenClDevice device;
    final MemorySegment context, queue;
    /** 1-D work-group size (a -D constant: the local arrays of reductions are sized by it). */
    final int wg;
    /** GEMM tile edge; the 2-D group is tile×tile. */
    final int tile;
    private final Map<DType, MemorySegment> programs = new EnumMap<>(DType.class);
    private final Map<String, MemorySegment> kernels = new HashMap<>();
    private final List<MemorySegment> pendingEvents = new ArrayList<>();

    static synchronized OpenClContext forDevice(OpenClDevice d) {
        return BY_DEVICE.computeIfAbsent(d.index(), i -> new OpenClContext(d));
    }

    private OpenClContext(OpenClDevice d) {
        cl = OpenCl.get();
        device = d;
        context = cl.createContext(d.deviceId());
        queue = cl.createQueue(context, d.deviceId(), d.openCl2());
        wg = (int) Math.min(64, d.maxWorkGroupSize());
        tile = d.maxWorkGroupSize() >= 256 ? 16 : d.maxWorkGroupSize() >= 64 ? 8 : 4;
    }

    // ------------------------------------------------------------------ programs

    /** Build options: the dtype, the sizes of local arrays, and the op codes from the Java enums (so the two can never drift). */
    String options(DType dt) {
        StringBuilder o = new StringBuilder(dt == DType.F64 ? "-D REAL=double -D USE_FP64=1" : "-D REAL=float");
        o.append(" -D WG=").append(wg).append(" -D TILE=").append(tile);
        for (Unary u : Unary.values()) o.append(" -D U_").append(u.name()).append('=').append(u.ordinal());
        for (Binary b : Binary.values()) o.append(" -D B_").append(b.name()).append('=').append(b.ordinal());
        for (Reduce r : Reduce.values()) o.append(" -D R_").append(r.name()).append('=').append(r.ordinal());
        for (Activation a : Activation.values()) o.append(" -D A_").append(a.name()).append('=').append(a.ordinal());
        for (StationaryKernel k : StationaryKernel.values()) o.append(" -D K_").append(k.name()).append('=').append(k.ordinal());
        return o.toString();
    }

    static String source() {
        StringBuilder sb = new StringBuilder();
        for (String name : SOURCES) {
            try (InputStream in = OpenClContext.class.getResourceAsStream("/sivi/opencl/" + name)) {
                if (in == null) throw new IllegalStateException("missing kernel resource /sivi/opencl/" + name);
                sb.append("// ---- ").append(name).append('\n').append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new IllegalStateException("cannot read kernel resource " + name, e);
            }
        }
        return sb.toString();
    }

    MemorySegment program(DType dt) {
        MemorySegment p = programs.get(dt);
        if (p != null) return p;
        if (dt == DType.F64 && !device.fp64())
            throw new OpenClException("OpenCL device " + device.index() + " (" + device.name() + ") lacks cl_khr_fp64: f64 tensors cannot run on it; use f32 or another backend");
        String src = source(), opts = options(dt);
        Path file = cacheDir().resolve(hash(src, opts) + ".bin");
        p = null;
        if (Files.isReadable(file)) {
            try {
                p = cl.createProgramWithBinary(context, device.deviceId(), Files.readAllBytes(file));
                cl.buildProgram(p, device.deviceId(), opts);
            } catch (IOException | OpenClException e) {
                // A stale or foreign binary (driver upgrade): rebuild from the same source below and overwrite it.
                if (p != null) cl.releaseProgram(p);
                p = null;
            }
        }
        if (p == null) {
            p = cl.createProgramWithSource(context, src);
            cl.buildProgram(p, device.deviceId(), opts);
            writeCache(file, cl.programBinary(p));
        }
        programs.put(dt, p);
        return p;
    }

    /** $SIVI_CACHE/opencl, else ~/.cache/sivi/opencl. */
    static Path cacheDir() {
        String env = System.getenv("SIVI_CACHE");
        return env != null && !env.isBlank() ? Path.of(env, "opencl") : Path.of(System.getProperty("user.home"), ".cache", "sivi", "opencl");
    }

    /** Key: SHA-256 of source, options and the device/driver identity (a binary is only valid for those). */
    private String hash(String src, String opts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : new String[] {src, opts, device.platform(), device.name(), device.version(), device.driver()}) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeCache(Path file, byte[] binary) {
        if (binary.length == 0) return;
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "prog", ".tmp");
            Files.write(tmp, binary);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            // The cache only saves build time; an unwritable cache directory must not stop the computation.
            System.err.println("sivi: cannot write OpenCL program cache " + file + ": " + e);
        }
    }

    private MemorySegment kernel(DType dt, String name) {
        String key = dt + "/" + name;
        MemorySegment k = kernels.get(key);
        if (k == null) { k = cl.createKernel(program(dt), name); kernels.put(key, k); }
        return k;
    }

    // ------------------------------------------------------------------ launching

    /**
     * Enqueues kernel {@code name} of the dtype's program. Arguments: {@link DeviceBuffer} (cl_mem),
     * Integer (int), Double (REAL: rounded to float for F32). Global sizes must already be padded
     * to multiples of {@code local}. The launch is counted; its device time is collected when the
     * next blocking read completes.
     */
    void launch(Counters c, DType dt, String name, long[] global, long[] local, Object... args) {
        MemorySegment k = kernel(dt, name);
        try (Arena a = Arena.ofConfined()) {
            for (int i = 0; i < args.length; i++) {
                MemorySegment v = switch (args[i]) {
                    case DeviceBuffer b -> { MemorySegment s = a.allocate(ValueLayout.ADDRESS); s.set(ValueLayout.ADDRESS, 0, b.mem); yield s; }
                    case Integer n -> a.allocateFrom(ValueLayout.JAVA_INT, n);
                    case Double x -> dt == DType.F32 ? a.allocateFrom(ValueLayout.JAVA_FLOAT, (float) (double) x) : a.allocateFrom(ValueLayout.JAVA_DOUBLE, x);
                    default -> throw new IllegalArgumentException("kernel argument of type " + args[i].getClass());
                };
                cl.setArg(k, i, v, name);
            }
            pendingEvents.add(cl.enqueue(queue, k, global, local, a, name));
            c.launches++;
        }
    }

    /** Collects device times of completed launches and releases their events. */
    void drainEvents(Counters c) {
        for (MemorySegment ev : pendingEvents) {
            c.kernelNanos += cl.eventNanos(ev);
            cl.releaseEvent(ev);
        }
        pendingEvents.clear();
    }

    /** Waits for the queue, then collects event times (for ops whose results stay on the device). */
    void finish(Counters c) {
        cl.finish(queue);
        drainEvents(c);
    }

    static long pad(long n, long multiple) { return Math.max(1, (n + multiple - 1) / multiple) * multiple; }

    /** A 1-D launch shape covering n items: {padded global, local}. */
    long[][] grid1(long n) { return new long[][] {{pad(n, wg)}, {wg}}; }

}
