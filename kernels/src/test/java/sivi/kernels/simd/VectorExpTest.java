package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector exp clamps by compare and blend and reads 2ⁿ's exponent from the rounding constant's bits: the clamp
 * gives what MAX then MIN give (NaN kept, ±0 alike), and exp stays within the 2 ulps its javadoc states, across the
 * clamp limits, the subnormal results and the specials (where a wrong exponent would be off by powers of two).
 */
class VectorExpTest {
    private static final float[] FLOAT_EDGES = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        -104f, Math.nextDown(-104f), Math.nextUp(-104f), 89f, Math.nextUp(89f), Math.nextDown(89f), 88.72f, 88.73f,
        -87.33f, -87.34f, -103.2f, -103.3f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-8f, -1e-8f,
        0.34657f, -0.34657f, 1f, -1f};
    private static final double[] DOUBLE_EDGES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        -746.0, Math.nextDown(-746.0), Math.nextUp(-746.0), 710.0, Math.nextUp(710.0), Math.nextDown(710.0), 709.78, 709.79,
        -708.39, -708.40, -744.4, -745.1, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-17, -1e-17, 1.0, -1.0};

    private static float[] floats(int n, long seed) {
        var r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i < FLOAT_EDGES.length ? FLOAT_EDGES[i] : (float) r.nextDouble(-110, 95);
        return x;
    }

    private static double[] doubles(int n, long seed) {
        var r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i < DOUBLE_EDGES.length ? DOUBLE_EDGES[i] : r.nextDouble(-760, 720);
        return x;
    }

    @Test void floatClampIsMaxThenMin() {
        float[] x = floats(40 * FloatMath.L, 1);
        for (int i = 0; i < x.length; i += FloatMath.L) {
            FloatVector v = FloatVector.fromArray(FloatMath.S, x, i);
            float[] want = v.lanewise(MAX, (float) -104).lanewise(MIN, (float) 89).toArray(), got = FloatMath.clamp(v, -104, 89).toArray();
            for (int k = 0; k < want.length; k++)
                assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]), "clamp of " + x[i + k]);
        }
    }

    @Test void floatExpIsWithinTwoUlps() {
        float[] x = floats(400 * FloatMath.L, 2);
        for (int i = 0; i < x.length; i += FloatMath.L) {
            float[] got = FloatMath.exp(FloatVector.fromArray(FloatMath.S, x, i)).toArray();
            for (int k = 0; k < got.length; k++) {
                float xi = x[i + k], want = (float) Math.exp(xi);   // exp in double, rounded once: the correctly rounded float
                if (Float.isNaN(xi)) { assertTrue(Float.isNaN(got[k]), "exp(NaN)"); continue; }
                if (Float.isInfinite(want) || want == 0) { assertEquals(want, got[k], "exp(" + xi + ")"); continue; }
                assertTrue(Math.abs(got[k] - want) <= 2 * Math.ulp(want), "exp(" + xi + ") = " + got[k] + ", want " + want);
            }
        }
    }

    @Test void sigmoidFromAClampedNegativeAbsIsSigmoid() {
        float[] x = floats(40 * FloatMath.L, 3);
        for (int i = 0; i < x.length; i += FloatMath.L) {
            FloatVector v = FloatVector.fromArray(FloatMath.S, x, i), na = v.lanewise(ABS).neg();
            float[] want = FloatMath.sigmoid(v).toArray(), got = FloatMath.sigmoid(v, na.lanewise(MAX, (float) -104)).toArray();
            for (int k = 0; k < want.length; k++)
                assertEquals(Float.floatToIntBits(want[k]), Float.floatToIntBits(got[k]), "σ(" + x[i + k] + ")");
        }
    }

    @Test void doubleClampAndExp() {
        double[] x = doubles(400 * DoubleMath.L, 4);
        for (int i = 0; i < x.length; i += DoubleMath.L) {
            DoubleVector v = DoubleVector.fromArray(DoubleMath.S, x, i);
            double[] got = DoubleMath.exp(v).toArray(), same = DoubleMath.expOfClamped(v.lanewise(MAX, -746.0).lanewise(MIN, 710.0)).toArray();
            double[] maxMin = v.lanewise(MAX, -746.0).lanewise(MIN, 710.0).toArray(), clamped = DoubleMath.clamp(v, -746.0, 710.0).toArray();
            for (int k = 0; k < got.length; k++) {
                double xi = x[i + k], want = StrictMath.exp(xi);
                assertEquals(Double.doubleToRawLongBits(maxMin[k]), Double.doubleToRawLongBits(clamped[k]), "clamp of " + xi);
                assertEquals(Double.doubleToLongBits(same[k]), Double.doubleToLongBits(got[k]), "clamp of " + xi);
                if (Double.isNaN(xi)) { assertTrue(Double.isNaN(got[k]), "exp(NaN)"); continue; }
                if (Double.isInfinite(want) || want == 0) { assertEquals(want, got[k], "exp(" + xi + ")"); continue; }
                // 2 ulps from the correctly rounded value, StrictMath's within 1 of it
                assertTrue(Math.abs(got[k] - want) <= 3 * Math.ulp(want), "exp(" + xi + ") = " + got[k] + ", want " + want);
            }
        }
    }
}
