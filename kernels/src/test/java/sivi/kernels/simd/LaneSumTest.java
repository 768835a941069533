package sivi.kernels.simd;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The array form of the lane sums equals the vector form bit for bit (KsdF32.rows relies on it). */
class LaneSumTest {
    @Test void floatArraySumMatchesVectorSum() {
        var r = new SplittableRandom(5);
        for (int t = 0; t < 2000; t++) {
            float[] v = new float[FloatMath.L + 3];
            for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-6, 7)));
            float expected = FloatMath.sum(FloatVector.fromArray(FloatMath.S, v, 3));
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(FloatMath.sum(v.clone(), 3)), "trial " + t);
        }
    }

    @Test void doubleArraySumMatchesVectorSum() {
        var r = new SplittableRandom(6);
        for (int t = 0; t < 2000; t++) {
            double[] v = new double[DoubleMath.L + 2];
            for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-12, 13));
            double expected = DoubleMath.sum(DoubleVector.fromArray(DoubleMath.S, v, 2));
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(DoubleMath.sum(v.clone(), 2)), "trial " + t);
        }
    }

    /** The written-out trees equal the pairwise tree (lane i plus lane i + h, h = n/2 … 1) at every width, not only this machine's. */
    @Test void writtenOutTreesAreThePairwiseTree() {
        var r = new SplittableRandom(7);
        for (int t = 0; t < 2000; t++) {
            float[] f = new float[19];
            double[] d = new double[19];
            for (int i = 0; i < f.length; i++) { f[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-6, 7))); d[i] = r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-12, 13)); }
            assertEquals(Float.floatToRawIntBits(tree(f.clone(), 3, 16)), Float.floatToRawIntBits(FloatMath.sum16(f, 3)), "16 lanes, trial " + t);
            assertEquals(Float.floatToRawIntBits(tree(f.clone(), 2, 8)), Float.floatToRawIntBits(FloatMath.sum8(f, 2)), "8 float lanes, trial " + t);
            assertEquals(Double.doubleToRawLongBits(tree(d.clone(), 1, 8)), Double.doubleToRawLongBits(DoubleMath.sum8(d, 1)), "8 double lanes, trial " + t);
        }
    }

    private static float tree(float[] v, int o, int n) {
        for (int h = n / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) v[o + i] += v[o + i + h];
        return v[o];
    }

    private static double tree(double[] v, int o, int n) {
        for (int h = n / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) v[o + i] += v[o + i + h];
        return v[o];
    }
}
