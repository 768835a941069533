package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import sivi.kernels.Reduce;

/**
 * A row's sum and log-sum-exp keep their order of operations whatever the row's length, its tail and its end in the
 * array: lane j accumulates elements j, j + L, … from +0 (padding lanes add +0, which changes no lane that starts at
 * +0), and the lanes are added by {@link FloatMath#sum(float[], int)}'s tree. The oracle below spells that order out in
 * scalars (exp lane by lane through the same vector exp), so a change of the tail's handling that moves one bit fails.
 */
class RowReductionTest {
    private static final int L = FloatMath.L;

    @Test void sumAndLogSumExpOfARowKeepTheirOrder() {
        var r = new SplittableRandom(8);
        for (int len = 1; len <= 3 * L + 1; len++)
            for (int lead : new int[] {0, 3})
                for (int trail : new int[] {0, 1, L}) {
                    float[] a = new float[lead + len + trail];
                    for (int i = 0; i < a.length; i++)
                        a[i] = switch (r.nextInt(6)) { case 0 -> -0f; case 1 -> 0f; default -> (float) (r.nextGaussian() * 3); };
                    String what = "len " + len + " lead " + lead + " trail " + trail;
                    assertEquals(Float.floatToRawIntBits(sumOracle(a, lead, len)), Float.floatToRawIntBits(ElementwiseF32.reduceRow(Reduce.SUM, a, lead, len)), "sum, " + what);
                    assertEquals(Float.floatToRawIntBits(lseOracle(a, lead, len)), Float.floatToRawIntBits(ElementwiseF32.reduceRow(Reduce.LOGSUMEXP, a, lead, len)), "logsumexp, " + what);
                }
    }

    private static float sumOracle(float[] a, int off, int len) {
        float[] lanes = new float[L];
        for (int i = 0; i < len; i++) lanes[i % L] += a[off + i];
        return FloatMath.sum(lanes, 0);
    }

    private static float lseOracle(float[] a, int off, int len) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) m = Math.max(m, a[off + i]);
        float[] lanes = new float[L];
        for (int i = 0; i < len; i++) lanes[i % L] += FloatMath.exp(FloatVector.broadcast(FloatMath.S, a[off + i] - m)).lane(0);
        return m + (float) Math.log(FloatMath.sum(lanes, 0));
    }
}
