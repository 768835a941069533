package sivi.tensor;

import java.util.Arrays;

/**
 * A dense tensor: one flat storage array ({@code float[]} for F32, {@code double[]} for F64),
 * an offset, a shape and strides (in elements). Immutable from the outside: views share storage
 * and nobody writes into a tensor after it was handed out. Ranks 0..8.
 *
 * <p>Kernels want contiguous row-major data: {@link #contiguous()} copies a strided view once,
 * then {@link #floatStorage()}/{@link #doubleStorage()} and {@link #offset()} give the raw array.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final float[] f;
    private final double[] d;

    private Tensor(DType dtype, int[] shape, int[] strides, int offset, float[] f, double[] d) {
        if (shape.length > 8) throw new IllegalArgumentException("rank > 8 not supported: " + Shapes.str(shape));
        this.dtype = dtype; this.shape = shape; this.strides = strides; this.offset = offset; this.f = f; this.d = d;
    }

    // ---------------------------------------------------------------- construction

    /**
     * Takes ownership of a fully written array as a contiguous tensor (no copy). The caller must
     * not write into {@code data} afterwards.
     */
    public static Tensor wrap(float[] data, int... shape) {
        checkLen(data.length, shape);
        return new Tensor(DType.F32, shape.clone(), Shapes.rowMajorStrides(shape), 0, data, null);
    }

    /** See {@link #wrap(float[], int...)}. */
    public static Tensor wrap(double[] data, int... shape) {
        checkLen(data.length, shape);
        return new Tensor(DType.F64, shape.clone(), Shapes.rowMajorStrides(shape), 0, null, data);
    }

    /** Copies {@code data} into a new F64 tensor. */
    public static Tensor of(double[] data, int... shape) { return wrap(data.clone(), shape); }

    /** Copies {@code data} into a new F32 tensor. */
    public static Tensor of(float[] data, int... shape) { return wrap(data.clone(), shape); }

    /** Copies {@code data} (given as doubles) into a tensor of the given dtype. */
    public static Tensor of(DType dtype, double[] data, int... shape) {
        if (dtype == DType.F64) return of(data, shape);
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) data[i];
        return wrap(out, shape);
    }

    /** Rows of a matrix, copied into an F64 tensor of shape [rows, cols]. */
    public static Tensor matrix(double[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) throw new IllegalArgumentException("ragged matrix: row " + i + " has " + rows[i].length + " columns, expected " + c);
            System.arraycopy(rows[i], 0, out, i * c, c);
        }
        return wrap(out, r, c);
    }

    public static Tensor zeros(DType dtype, int... shape) { return full(dtype, 0.0, shape); }

    public static Tensor ones(DType dtype, int... shape) { return full(dtype, 1.0, shape); }

    public static Tensor full(DType dtype, double value, int... shape) {
        int n = Shapes.size(shape);
        if (dtype == DType.F32) { float[] a = new float[n]; if (value != 0) Arrays.fill(a, (float) value); return wrap(a, shape); }
        double[] a = new double[n]; if (value != 0) Arrays.fill(a, value); return wrap(a, shape);
    }

    public static Tensor scalar(DType dtype, double value) { return full(dtype, value); }

    private static void checkLen(int len, int[] shape) {
        int n = Shapes.size(shape);
        if (n != len) throw new IllegalArgumentException("data length " + len + " does not match shape " + Shapes.str(shape) + " (size " + n + ")");
    }

    // ---------------------------------------------------------------- accessors

    public DType dtype() { return dtype; }
    public int[] shape() { return shape.clone(); }
    public int[] strides() { return strides.clone(); }
    public int rank() { return shape.length; }
    public int dim(int axis) { return shape[Shapes.normAxis("dim", axis, shape.length)]; }
    public int size() { return Shapes.size(shape); }
    public int offset() { return offset; }

    /** True if the elements are laid out row-major without gaps starting at {@link #offset()}. */
    public boolean isContiguous() {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != s) return false;
            s *= shape[i];
        }
        return true;
    }

    /** The raw F32 storage (only for contiguous tensors; read from {@link #offset()}). */
    public float[] floatStorage() {
        if (f == null) throw new IllegalStateException("tensor is " + dtype + ", not F32");
        return f;
    }

    /** The raw F64 storage (only for contiguous tensors; read from {@link #offset()}). */
    public double[] doubleStorage() {
        if (d == null) throw new IllegalStateException("tensor is " + dtype + ", not F64");
        return d;
    }

    /** This tensor if contiguous, else a contiguous copy (the one visible place views are copied). */
    public Tensor contiguous() {
        if (isContiguous()) return this;
        // Row by row over the last axis: a fill for broadcast (stride-0) rows, a block copy for unit
        // stride, a strided loop otherwise (per-element index arithmetic was a visible cost in training).
        int n = size(), r = shape.length, inner = shape[r - 1], is = strides[r - 1];
        int[] idx = new int[r];
        if (dtype == DType.F32) {
            float[] out = new float[n];
            for (int o = 0; o < n; o += inner, nextRow(idx)) {
                int p = flat(idx);
                if (is == 0) java.util.Arrays.fill(out, o, o + inner, f[p]);
                else if (is == 1) System.arraycopy(f, p, out, o, inner);
                else for (int j = 0; j < inner; j++) out[o + j] = f[p + j * is];
            }
            return wrap(out, shape);
        }
        double[] out = new double[n];
        for (int o = 0; o < n; o += inner, nextRow(idx)) {
            int p = flat(idx);
            if (is == 0) java.util.Arrays.fill(out, o, o + inner, d[p]);
            else if (is == 1) System.arraycopy(d, p, out, o, inner);
            else for (int j = 0; j < inner; j++) out[o + j] = d[p + j * is];
        }
        return wrap(out, shape);
    }

    private int flat(int[] idx) {
        int p = offset;
        for (int i = 0; i < idx.length; i++) p += idx[i] * strides[i];
        return p;
    }

    /** Advances idx to the start of the next row (every axis but the last, row-major). */
    private void nextRow(int[] idx) {
        for (int i = idx.length - 2; i >= 0; i--) {
            if (++idx[i] < shape[i]) return;
            idx[i] = 0;
        }
    }


    /** Element at the given index, as a double. */
    public double get(int... index) {
        if (index.length != shape.length) throw new IllegalArgumentException("get: index rank " + index.length + " for shape " + Shapes.str(shape));
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " out of shape " + Shapes.str(shape));
            p += index[i] * strides[i];
        }
        return f != null ? f[p] : d[p];
    }

    /** The single value of a size-1 tensor. */
    public double item() {
        if (size() != 1) throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape) + " has " + size() + " elements");
        return f != null ? f[offset] : d[offset];
    }

    /** All elements in row-major order, as a new double[]. */
    public double[] toDoubleArray() {
        Tensor c = contiguous();
        int n = size();
        double[] out = new double[n];
        if (c.f != null) for (int i = 0; i < n; i++) out[i] = c.f[c.offset + i];
        else System.arraycopy(c.d, c.offset, out, 0, n);
        return out;
    }

    /** All elements in row-major order, as a new float[]. */
    public float[] toFloatArray() {
        Tensor c = contiguous();
        int n = size();
        float[] out = new float[n];
        if (c.f != null) System.arraycopy(c.f, c.offset, out, 0, n);
        else for (int i = 0; i < n; i++) out[i] = (float) c.d[c.offset + i];
        return out;
    }

    /** A rank-2 tensor as rows of doubles. */
    public double[][] toMatrix() {
        if (rank() != 2) throw new IllegalStateException("toMatrix: rank " + rank() + " tensor " + Shapes.str(shape));
        double[] a = toDoubleArray();
        double[][] out = new double[shape[0]][shape[1]];
        for (int i = 0; i < shape[0]; i++) System.arraycopy(a, i * shape[1], out[i], 0, shape[1]);
        return out;
    }

    /** Explicit dtype conversion (a copy unless the dtype already matches). */
    public Tensor cast(DType to) {
        if (to == dtype) return this;
        return to == DType.F64 ? wrap(toDoubleArray(), shape) : wrap(toFloatArray(), shape);
    }

    // ---------------------------------------------------------------- views

    /** Same data, new shape (a view when contiguous, else a copy). One dimension may be -1. */
    public Tensor reshape(int... newShape) {
        int[] ns = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < ns.length; i++) {
            if (ns[i] == -1) { if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(newShape)); infer = i; }
            else known *= ns[i];
        }
        if (infer >= 0) {
            if (known == 0 || size() % known != 0) throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(shape) + " to " + Shapes.str(newShape));
            ns[infer] = size() / known;
        }
        if (Shapes.size(ns) != size()) throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(shape) + " to " + Shapes.str(newShape));
        Tensor c = contiguous();
        return new Tensor(dtype, ns, Shapes.rowMajorStrides(ns), c.offset, c.f, c.d);
    }

    /** Reorders the axes: result axis i is this tensor's axis perm[i]. A view. */
    public Tensor permute(int... perm) {
        if (perm.length != shape.length) throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " for shape " + Shapes.str(shape));
        boolean[] seen = new boolean[perm.length];
        int[] ns = new int[perm.length], st = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            int p = Shapes.normAxis("permute", perm[i], shape.length);
            if (seen[p]) throw new IllegalArgumentException("permute: repeated axis in " + Arrays.toString(perm));
            seen[p] = true; ns[i] = shape[p]; st[i] = strides[p];
        }
        return new Tensor(dtype, ns, st, offset, f, d);
    }

    /** Swaps two axes (a view). */
    public Tensor transpose(int a, int b) {
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        a = Shapes.normAxis("transpose", a, shape.length); b = Shapes.normAxis("transpose", b, shape.length);
        perm[a] = b; perm[b] = a;
        return permute(perm);
    }

    /** Elements start..end-1 along an axis (a view). */
    public Tensor slice(int axis, int start, int end) {
        int ax = Shapes.normAxis("slice", axis, shape.length);
        if (start < 0 || end > shape[ax] || start > end) throw new IllegalArgumentException("slice: [" + start + ", " + end + ") out of range for axis " + ax + " of " + Shapes.str(shape));
        int[] ns = shape.clone(); ns[ax] = end - start;
        return new Tensor(dtype, ns, strides.clone(), offset + start * strides[ax], f, d);
    }

    /** Broadcasts to a larger shape with stride-0 axes (a view); NumPy rules. */
    public Tensor expand(int... target) {
        int[] out = Shapes.broadcast("expand", shape, target);
        if (!Arrays.equals(out, target)) throw new IllegalArgumentException("expand: cannot expand " + Shapes.str(shape) + " to " + Shapes.str(target));
        int[] st = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (i < lead) st[i] = 0;
            else st[i] = shape[i - lead] == 1 && target[i] != 1 ? 0 : strides[i - lead];
        }
        return new Tensor(dtype, target.clone(), st, offset, f, d);
    }

    /** Inserts an axis of length 1. */
    public Tensor unsqueeze(int axis) {
        int ax = axis < 0 ? axis + shape.length + 1 : axis;
        if (ax < 0 || ax > shape.length) throw new IllegalArgumentException("unsqueeze: axis " + axis + " for rank " + shape.length);
        int[] ns = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) {
            if (i == ax) { ns[i] = 1; st[i] = 0; }
            else { ns[i] = shape[j]; st[i] = strides[j]; j++; }
        }
        return new Tensor(dtype, ns, st, offset, f, d);
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype.label()).append(", ").append(Shapes.str(shape));
        if (size() <= 16) sb.append(", ").append(Arrays.toString(toDoubleArray()));
        return sb.append(')').toString();
    }
}
