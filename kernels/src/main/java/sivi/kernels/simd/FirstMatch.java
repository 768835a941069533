package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.EQ;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The first index of an exact value in a host array, a vector compare per L elements instead of a
 * branch per element (KSIVI locates its median distance in the N×N matrix this way every step; the
 * scalar scan was ~4 % of a banana step at N = 500). Hand-written F32/F64 pair: the generator's
 * float→double rename would also rename the search value's type in the callers.
 */
public final class FirstMatch {
    private FirstMatch() {}

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;

    /** Smallest i in [0, n) with a[off + i] == v (IEEE equality: never NaN, 0.0 == −0.0), else −1. */
    public static int of(float[] a, int off, int n, float v) {
        int i = 0;
        for (int ub = SF.loopBound(n); i < ub; i += SF.length()) {
            VectorMask<Float> m = FloatVector.fromArray(SF, a, off + i).compare(EQ, v);
            if (m.anyTrue()) return i + m.firstTrue();
        }
        for (; i < n; i++) if (a[off + i] == v) return i;   // scalar tail: no masked load at the array end
        return -1;
    }

    /** As {@link #of(float[], int, int, float)} for doubles. */
    public static int of(double[] a, int off, int n, double v) {
        int i = 0;
        for (int ub = SD.loopBound(n); i < ub; i += SD.length()) {
            VectorMask<Double> m = DoubleVector.fromArray(SD, a, off + i).compare(EQ, v);
            if (m.anyTrue()) return i + m.firstTrue();
        }
        for (; i < n; i++) if (a[off + i] == v) return i;
        return -1;
    }
}
