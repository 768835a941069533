package sivi.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, row-major strides, NumPy broadcasting. Shapes are plain int[]. */
public final class Shapes {
    private Shapes() {}

    /** Product of the dimensions (1 for a scalar). */
    public static int size(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= s;
            // checked per factor: a product of several large dimensions could overflow long and wrap back into range
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape too large: " + str(shape));
        }
        return (int) n;
    }

    /** Row-major (C order) strides in elements. */
    public static int[] rowMajorStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
        return st;
    }

    /** Result shape of broadcasting a with b (NumPy rules); the error names op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da == db || db == 1) out[i] = da;
            else if (da == 1) out[i] = db;
            else throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
        }
        return out;
    }

    public static String str(int[] shape) { return Arrays.toString(shape); }

    public static int normAxis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        return a;
    }
}
