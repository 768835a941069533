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
}
