package sivi.kernels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the work of the SIMD GEMM while switched on, for the benchmark's "GEMM GFLOP/s per step": flops
 * (2·m·n·k per product, a multiply-add being two) and the thread time spent inside GEMM calls — a call's wall
 * time times the threads its row blocks were offered (1 when it ran on its caller alone, as each part of a
 * particle-split step does; the worker count when it split its rows), so that two parts multiplying at once on two
 * threads count twice their wall time, and one product split over two threads counts its wall time twice too. Off by
 * default; when off a GEMM call pays one volatile read. Not meant to be on in two places at once: the counters are
 * global.
 */
public final class GemmMeter {
    private GemmMeter() {}

    private static volatile boolean on;
    private static final LongAdder FLOPS = new LongAdder(), NANOS = new LongAdder(), CALLS = new LongAdder();
    /** Per product shape m×k×n: calls and thread nanoseconds (where a step's GEMM time goes, shape by shape). */
    private static final ConcurrentHashMap<Dims, LongAdder[]> SHAPES = new ConcurrentHashMap<>();

    private record Dims(long m, long k, long n) {}

    /** Zeroes the counters and starts counting. */
    public static void start() { FLOPS.reset(); NANOS.reset(); CALLS.reset(); SHAPES.clear(); on = true; }

    /** Stops counting; the counters keep their values. */
    public static void stop() { on = false; }

    public static boolean on() { return on; }

    /** Records one GEMM call: m×k times k×n, taking the given wall nanoseconds on {@code threads} threads. */
    public static void add(long m, long n, long k, long nanos, int threads) {
        FLOPS.add(2 * m * n * k);
        NANOS.add(nanos * threads);
        CALLS.increment();
        LongAdder[] s = SHAPES.computeIfAbsent(new Dims(m, k, n), x -> new LongAdder[] {new LongAdder(), new LongAdder()});
        s[0].increment();
        s[1].add(nanos * threads);
    }

    /** One product shape's share of the counted work. */
    public record Shape(long m, long k, long n, long calls, long nanos) {
        public long flops() { return 2 * m * n * k * calls; }

        /** GFLOP/s per thread inside this shape's calls. */
        public double gflops() { return nanos > 0 ? (double) flops() / nanos : Double.NaN; }
    }

    /** The shapes counted since {@link #start()}, most thread time first. */
    public static List<Shape> shapes() {
        List<Shape> out = new ArrayList<>();
        SHAPES.forEach((key, v) -> out.add(new Shape(key.m(), key.k(), key.n(), v[0].sum(), v[1].sum())));
        out.sort(Comparator.comparingLong(Shape::nanos).reversed());
        return out;
    }

    public static long flops() { return FLOPS.sum(); }

    /** Thread nanoseconds inside GEMM calls (wall time × threads per call). */
    public static long nanos() { return NANOS.sum(); }

    public static long calls() { return CALLS.sum(); }
}
