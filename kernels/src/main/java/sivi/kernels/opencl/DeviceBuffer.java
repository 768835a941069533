package sivi.kernels.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A device-resident array of {@code elements} reals (f32 or f64), or of ints for shape metadata. Every copy between host and
 * device goes through {@link #upload} or {@link #download}/{@link #downloadRows}, each one
 * counted in the owning backend's {@link Counters}. Buffers are usually longer than the data
 * (padded to the launch size) so that kernels need no bounds guards.
 */
public final class DeviceBuffer implements AutoCloseable {
    final OpenClContext ctx;
    final MemorySegment mem;
    final DType dtype;
    final long elements;
    private final Counters counters;
    private boolean released;

    private DeviceBuffer(OpenClContext ctx, Counters counters, DType dtype, long elements, int elementBytes) {
        this.ctx = ctx; this.counters = counters; this.dtype = dtype;
        this.elements = Math.max(1, elements); // zero-size buffers are CL_INVALID_BUFFER_SIZE
        this.mem = ctx.cl.createBuffer(ctx.context, OpenCl.CL_MEM_READ_WRITE, this.elements * elementBytes);
    }

    /** Uninitialised device memory for {@code elements} values. */
    static DeviceBuffer allocate(OpenClContext ctx, Counters c, DType dtype, long elements) { return new DeviceBuffer(ctx, c, dtype, elements, dtype.bytes()); }

    /** Copies t (made contiguous on the host first if it is a view) into a device buffer of at least {@code capacity} elements. One counted h2d copy. */
    static DeviceBuffer upload(OpenClContext ctx, Counters c, Tensor t, long capacity) {
        DeviceBuffer b = new DeviceBuffer(ctx, c, t.dtype(), Math.max(capacity, t.size()), t.dtype().bytes());
        int n = t.size();
        if (n == 0) return b;
        Tensor s = t.contiguous();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate((long) n * t.dtype().bytes(), 8);
            if (t.dtype() == DType.F32) MemorySegment.copy(s.floatStorage(), s.offset(), host, ValueLayout.JAVA_FLOAT, 0, n);
            else MemorySegment.copy(s.doubleStorage(), s.offset(), host, ValueLayout.JAVA_DOUBLE, 0, n);
            MemorySegment ev = ctx.cl.write(ctx.queue, b.mem, host, a);
            c.h2dCalls++; c.h2dBytes += host.byteSize();
            c.transferNanos += ctx.cl.eventNanos(ev);
            ctx.cl.releaseEvent(ev);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** Copies small int metadata (shapes, strides) to the device. One counted h2d copy. */
    static DeviceBuffer uploadInts(OpenClContext ctx, Counters c, int[] values) {
        DeviceBuffer b = new DeviceBuffer(ctx, c, null, values.length, 4);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocateFrom(ValueLayout.JAVA_INT, values);
            MemorySegment ev = ctx.cl.write(ctx.queue, b.mem, host, a);
            c.h2dCalls++; c.h2dBytes += host.byteSize();
            c.transferNanos += ctx.cl.eventNanos(ev);
            ctx.cl.releaseEvent(ev);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** Copies the first size(shape) elements back into a new host tensor. One counted d2h copy (none for empty shapes). */
    Tensor download(int... shape) {
        int n = sivi.tensor.Shapes.size(shape);
        if (n == 0) return Tensor.zeros(dtype, shape);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate((long) n * dtype.bytes(), 8);
            MemorySegment ev = ctx.cl.read(ctx.queue, mem, host, a);
            return finishRead(host, ev, n, shape);
        }
    }

    /** Reads {@code rows} rows of {@code cols} values stored with row pitch {@code pitch} into a packed rows×cols tensor. One counted d2h copy. */
    Tensor downloadRows(int rows, int cols, int pitch) {
        int n = rows * cols;
        if (n == 0) return Tensor.zeros(dtype, rows, cols);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate((long) n * dtype.bytes(), 8);
            long eb = dtype.bytes();
            MemorySegment ev = ctx.cl.readRect(ctx.queue, mem, host, rows, cols * eb, pitch * eb, a);
            return finishRead(host, ev, n, new int[] {rows, cols});
        }
    }

    private Tensor finishRead(MemorySegment host, MemorySegment ev, int n, int[] shape) {
        counters.d2hCalls++; counters.d2hBytes += host.byteSize();
        counters.transferNanos += ctx.cl.eventNanos(ev);
        ctx.cl.releaseEvent(ev);
        ctx.drainEvents(counters); // the blocking read on an in-order queue has also completed every earlier launch
        if (dtype == DType.F32) return Tensor.wrap(host.toArray(ValueLayout.JAVA_FLOAT), shape);
        return Tensor.wrap(host.toArray(ValueLayout.JAVA_DOUBLE), shape);
    }

    @Override public void close() {
        if (!released) { released = true; ctx.cl.releaseMem(mem); }
    }
}
