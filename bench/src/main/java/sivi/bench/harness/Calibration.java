package sivi.bench.harness;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Machine calibration measured in the same run as the benchmarks, so results can be reported as
 * ratios: the single-core f32 FMA peak (GFLOP/s) and a fixed reference workload (ms) that step
 * times are divided by.
 */
public final class Calibration {
    private Calibration() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Independent vector FMA chains (enough accumulators to hide FMA latency); 2 flops per lane. */
    static float fmaLoop(int iters) {
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector m = FloatVector.broadcast(S, 0.999999f), c = FloatVector.broadcast(S, 1e-7f);
        for (int i = 0; i < iters; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static volatile float sink;

    /** Single-thread f32 FMA peak in GFLOP/s. */
    public static double fmaPeakGflops(boolean quick) {
        int iters = 200_000;
        Timing.Result r = Timing.measure(() -> sink = fmaLoop(iters), quick ? 150 : 500, quick ? 5 : 15, 5);
        double flops = 2.0 * 12 * S.length() * iters;
        return flops / (r.medianMs() * 1e6);
    }

    /** A fixed scalar workload (a dependent polynomial chain) in ms: the unit step times are divided by. */
    public static double referenceWorkloadMs(boolean quick) {
        Timing.Result r = Timing.measure(() -> {
            double x = 0.5;
            for (int i = 0; i < 1_000_000; i++) x = x * 0.9999999 + 1e-9;
            sink = (float) x;
        }, quick ? 150 : 500, quick ? 5 : 15, 5);
        return r.medianMs();
    }
}
