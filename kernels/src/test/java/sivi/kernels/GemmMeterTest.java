package sivi.kernels;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sivi.kernels.simd.SimdBackend;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** The benchmark's GEMM meter counts 2·m·n·k per product (each shape path of the GEMM once) and nothing while off. */
class GemmMeterTest {
    @ParameterizedTest
    @EnumSource(DType.class)
    void countsTwoMNKPerProductOnlyWhileOn(DType dt) {
        // shapes that take the packed path, the skinny-result swap, the dot-row path and the small-k path
        int[][] mkn = {{70, 50, 40}, {300, 20, 5}, {200, 64, 3}, {64, 2, 200}, {7, 9, 11}};
        try (Backend be = new SimdBackend(2)) {
            for (int[] s : mkn) be.matmul(Tensor.ones(dt, s[0], s[1]), Tensor.ones(dt, s[1], s[2]), false, false);   // warm, uncounted
            long before = GemmMeter.flops();
            for (int[] s : mkn) be.matmul(Tensor.ones(dt, s[0], s[1]), Tensor.ones(dt, s[1], s[2]), false, false);
            assertEquals(before, GemmMeter.flops(), "counted while off");

            GemmMeter.start();
            long expected = 0;
            try {
                for (int[] s : mkn) {
                    Tensor c = be.matmul(Tensor.ones(dt, s[0], s[1]), Tensor.ones(dt, s[1], s[2]), false, false);
                    assertEquals(s[1], c.toDoubleArray()[0], 0, "the metered product is still the product");
                    expected += 2L * s[0] * s[1] * s[2];
                }
            } finally {
                GemmMeter.stop();
            }
            assertEquals(expected, GemmMeter.flops());
            assertEquals(mkn.length, GemmMeter.calls(), "the skinny swap is one call, not two");
            assertTrue(GemmMeter.nanos() > 0);
            // one row per shape, m×k×n as called, adding up to the totals
            java.util.List<GemmMeter.Shape> shapes = GemmMeter.shapes();
            assertEquals(mkn.length, shapes.size());
            for (int[] s : mkn)
                assertEquals(1, shapes.stream().filter(x -> x.m() == s[0] && x.k() == s[1] && x.n() == s[2]).mapToLong(GemmMeter.Shape::calls).sum(), "shape " + java.util.Arrays.toString(s));
            assertEquals(GemmMeter.flops(), shapes.stream().mapToLong(GemmMeter.Shape::flops).sum());
            assertEquals(GemmMeter.nanos(), shapes.stream().mapToLong(GemmMeter.Shape::nanos).sum());
            for (int i = 1; i < shapes.size(); i++) assertTrue(shapes.get(i - 1).nanos() >= shapes.get(i).nanos(), "most time first");
            GemmMeter.start();
            assertTrue(GemmMeter.shapes().isEmpty(), "start() zeroes the shapes too");
            GemmMeter.stop();
        }
    }

    /**
     * Thread time: a product split over two threads counts its wall time twice; on one thread, once. The meter's
     * interval lies inside the call's wall time, so thread ns ≤ threads × wall always; that the split counts twice
     * (thread ns > wall) needs a call not interrupted outside the product (C's allocation, a descheduled thread on a
     * shared host): it must hold in one of ten calls (it held in every call on a quiet machine; one call failed it
     * in a CI run beside another process). A meter that counted the split once never passes it.
     */
    @org.junit.jupiter.api.Test
    void aSplitProductCountsItsWallTimeOncePerThread() {
        Tensor a = Tensor.ones(DType.F32, 512, 256), b = Tensor.ones(DType.F32, 256, 256);
        for (int threads : new int[] {1, 2}) {
            try (Backend be = new SimdBackend(threads)) {
                for (int i = 0; i < 20; i++) be.matmul(a, b, false, false);   // warm
                boolean countedTwice = false;
                String last = "";
                for (int attempt = 0; attempt < 10; attempt++) {
                    GemmMeter.start();
                    long t0 = System.nanoTime();
                    try {
                        be.matmul(a, b, false, false);
                    } finally {
                        GemmMeter.stop();
                    }
                    long wall = System.nanoTime() - t0, ns = GemmMeter.nanos();
                    last = ns + " thread ns in " + wall + " ns of wall on " + threads + " thread(s)";
                    assertTrue(ns <= (long) threads * wall, last);
                    countedTwice |= ns > wall;
                }
                if (threads == 2) assertTrue(countedTwice, "no call counted the split product twice; last: " + last);
            }
        }
    }
}
