package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import sivi.tensor.Tensor;

/**
 * {@link sivi.kernels.Backend#reluNetGradient} (formulas in {@code fused/relunet/ReluNetRef}) over blocks of
 * {@link #BLOCK} draws: a block's first layers are packed side by side (d × cols, column s·H + j for draw s, unit j,
 * cols padded with zeros to the lane count), so every pass runs whole vectors over contiguous columns and a block's
 * B × cols activations stay in cache from the forward pass to the gradient (the composite twin streams B × N·H
 * arrays through memory once per op). Blocks of draws split over the threads; the blocks are fixed, so the bits do
 * not depend on the thread count.
 */
final class ReluNetF32 {
    private ReluNetF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Draws per block: B × cols floats of ~160 KB (doubles ~320 KB) per array at B = 100, H = 50. */
    static final int BLOCK = 8;

    static Tensor gradient(Par par, Tensor x, Tensor y, Tensor theta, Tensor v, int hidden, double c) {
        int rows = x.dim(0), d = x.dim(1), n = theta.dim(0), dim = theta.dim(1);
        float[] xv = x.contiguous().toFloatArray(), yv = y.contiguous().toFloatArray();
        Tensor tc = theta.contiguous(), vc = v == null ? null : v.contiguous();
        float[] th = tc.floatStorage(), dv = vc == null ? null : vc.floatStorage();
        int to = tc.offset(), vo = vc == null ? 0 : vc.offset();
        float[] out = new float[n * dim];
        int blocks = (n + BLOCK - 1) / BLOCK;
        par.run(blocks, 1, (ch, lo, hi) -> {
            Block b = new Block(rows, d, hidden, (float) c, xv, yv);
            for (int k = lo; k < hi; k++) {
                int s0 = k * BLOCK, sb = Math.min(BLOCK, n - s0);
                b.run(th, to, dv, vo, s0, sb, dim, out);
            }
        });
        return Tensor.wrap(out, n, dim);
    }

    /** One thread's buffers for a block of draws (reused from block to block). */
    private static final class Block {
        final int rows, d, h, maxCols;
        final float c;
        final float[] x, y;
        final float[] w1, b1, w2, b2, v1, vb1, v2, vb2;      // packed parameters and direction
        final float[] a, da;                                  // h (B × cols), then δ; ḣ, then δ̇
        final float[] g, dg, t;                               // g B × sb, ġ sb, a row's products before their sums per draw
        final int[] drawOf;                                   // the draw of each packed column (0 for padding)
        final float[] gw1, gb1, gw2, gb2;                     // the block's result, packed
        int sb, cols;

        Block(int rows, int d, int h, float c, float[] x, float[] y) {
            this.rows = rows; this.d = d; this.h = h; this.c = c; this.x = x; this.y = y;
            maxCols = (BLOCK * h + L - 1) / L * L;
            w1 = new float[d * maxCols]; b1 = new float[maxCols]; w2 = new float[maxCols]; b2 = new float[BLOCK];
            v1 = new float[d * maxCols]; vb1 = new float[maxCols]; v2 = new float[maxCols]; vb2 = new float[BLOCK];
            a = new float[rows * maxCols]; da = new float[rows * maxCols];
            g = new float[rows * BLOCK]; dg = new float[BLOCK]; t = new float[maxCols];
            drawOf = new int[maxCols];
            gw1 = new float[d * maxCols]; gb1 = new float[maxCols]; gw2 = new float[maxCols]; gb2 = new float[BLOCK];
        }

        void run(float[] th, int to, float[] dv, int vo, int s0, int sb, int dim, float[] out) {
            this.sb = sb;
            cols = (sb * h + L - 1) / L * L;
            for (int col = 0; col < cols; col++) drawOf[col] = col < sb * h ? col / h : 0;
            pack(th, to, s0, dim, w1, b1, w2, b2);
            linear(w1, b1, a);
            forward();
            java.util.Arrays.fill(gw2, 0, cols, 0);
            java.util.Arrays.fill(gb2, 0, sb, 0);
            if (dv == null) score(); else {
                pack(dv, vo, s0, dim, v1, vb1, v2, vb2);
                linear(v1, vb1, da);
                hvp();
            }
            firstLayer(dv == null ? a : da);
            unpack(out, s0, dim);
        }

        /** Draws s0 … s0+sb−1 of p (from offset po) into the packed layers; padding columns 0. */
        private void pack(float[] p, int po, int s0, int dim, float[] pw1, float[] pb1, float[] pw2, float[] pb2) {
            int dh = d * h, used = sb * h;
            for (int s = 0; s < sb; s++) {
                int o = po + (s0 + s) * dim, col = s * h;
                for (int k = 0; k < d; k++) System.arraycopy(p, o + k * h, pw1, k * cols + col, h);
                System.arraycopy(p, o + dh, pb1, col, h);
                System.arraycopy(p, o + dh + h, pw2, col, h);
                pb2[s] = p[o + dim - 1];
            }
            for (int k = 0; k < d; k++) java.util.Arrays.fill(pw1, k * cols + used, (k + 1) * cols, 0);
            java.util.Arrays.fill(pb1, used, cols, 0);
            java.util.Arrays.fill(pw2, used, cols, 0);
        }

        /** out = x W + b over the block's columns (x's row i: x[i·d …)); four rows at a time share each load of W. */
        private void linear(float[] w, float[] b, float[] dst) {
            int i = 0;
            for (; i + 4 <= rows; i += 4) {
                int xi = i * d, r = i * cols;
                for (int col = 0; col < cols; col += L) {
                    FloatVector a0 = FloatVector.fromArray(S, b, col), a1 = a0, a2 = a0, a3 = a0;
                    for (int k = 0; k < d; k++) {
                        FloatVector wv = FloatVector.fromArray(S, w, k * cols + col);
                        a0 = wv.fma(FloatVector.broadcast(S, x[xi + k]), a0);
                        a1 = wv.fma(FloatVector.broadcast(S, x[xi + d + k]), a1);
                        a2 = wv.fma(FloatVector.broadcast(S, x[xi + 2 * d + k]), a2);
                        a3 = wv.fma(FloatVector.broadcast(S, x[xi + 3 * d + k]), a3);
                    }
                    a0.intoArray(dst, r + col);
                    a1.intoArray(dst, r + cols + col);
                    a2.intoArray(dst, r + 2 * cols + col);
                    a3.intoArray(dst, r + 3 * cols + col);
                }
            }
            for (; i < rows; i++) {
                int r = i * cols;
                for (int col = 0; col < cols; col += L) {
                    FloatVector acc = FloatVector.fromArray(S, b, col);
                    for (int k = 0; k < d; k++) acc = FloatVector.fromArray(S, w, k * cols + col).fma(FloatVector.broadcast(S, x[i * d + k]), acc);
                    acc.intoArray(dst, r + col);
                }
            }
        }

        /** a := relu(a); g_is = c (y_i − f_is), f_is = h_i·w2 + b2 over draw s's columns. */
        private void forward() {
            FloatVector zero = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                int r = i * cols;
                for (int col = 0; col < cols; col += L) {
                    FloatVector pre = FloatVector.fromArray(S, a, r + col);
                    FloatVector hv = zero.blend(pre, pre.compare(GT, zero));   // as Unary.RELU, NaN included
                    hv.intoArray(a, r + col);
                    hv.mul(FloatVector.fromArray(S, w2, col)).intoArray(t, col);
                }
                for (int s = 0; s < sb; s++) g[i * sb + s] = c * (y[i] - (b2[s] + segmentSum(t, s * h)));
            }
        }

        /** Σ t[from … from+H). */
        private float segmentSum(float[] t, int from) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = S.indexInRange(j, h);
                acc = acc.add(FloatVector.fromArray(S, t, from + j, m));
            }
            return FloatMath.sum(acc);   // a fixed order: reduceLanes may sum differently before and after C2 compiles it
        }

        /** Per-draw values vals[off + s] for the lanes of columns col … col+L−1 (padding columns read draw 0). */
        private FloatVector perDraw(float[] vals, int off, int col) {
            return FloatVector.fromArray(S, vals, off, drawOf, col);
        }

        /** gw2 = Σ_i g_i h_i, gb2 = Σ_i g_i, and δ_i = g_i (m_i ⊙ w2) in place of h. */
        private void score() {
            FloatVector zero = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                int r = i * cols;
                for (int col = 0; col < cols; col += L) {
                    FloatVector hv = FloatVector.fromArray(S, a, r + col), gv = perDraw(g, i * sb, col);
                    FloatVector.fromArray(S, gw2, col).add(gv.mul(hv)).intoArray(gw2, col);
                    zero.blend(gv.mul(FloatVector.fromArray(S, w2, col)), hv.compare(GT, zero)).intoArray(a, r + col);
                }
                for (int s = 0; s < sb; s++) gb2[s] += g[i * sb + s];
            }
        }

        /** With ȧ in da: ḣ, ġ, gw2 = Σ_i (ġ_i h_i + g_i ḣ_i), gb2 = Σ_i ġ_i, and δ̇ in place of ȧ. */
        private void hvp() {
            FloatVector zero = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                int r = i * cols;
                for (int col = 0; col < cols; col += L) {
                    FloatVector hv = FloatVector.fromArray(S, a, r + col);
                    FloatVector dh = zero.blend(FloatVector.fromArray(S, da, r + col), hv.compare(GT, zero));
                    dh.intoArray(da, r + col);
                    dh.mul(FloatVector.fromArray(S, w2, col)).add(hv.mul(FloatVector.fromArray(S, v2, col))).intoArray(t, col);
                }
                for (int s = 0; s < sb; s++) {
                    dg[s] = -c * (vb2[s] + segmentSum(t, s * h));
                    gb2[s] += dg[s];
                }
                for (int col = 0; col < cols; col += L) {
                    FloatVector hv = FloatVector.fromArray(S, a, r + col), dh = FloatVector.fromArray(S, da, r + col);
                    FloatVector gv = perDraw(g, i * sb, col), dgv = perDraw(dg, 0, col);
                    FloatVector.fromArray(S, gw2, col).add(dgv.mul(hv).add(gv.mul(dh))).intoArray(gw2, col);
                    zero.blend(dgv.mul(FloatVector.fromArray(S, w2, col)).add(gv.mul(FloatVector.fromArray(S, v2, col))), hv.compare(GT, zero))
                            .intoArray(da, r + col);
                }
            }
        }

        /**
         * gb1 = Σ_i δ_i, gw1 = Σ_i x_iᵀ δ_i, each column's sums in row order; four column vectors at a time, so that
         * four independent chains of multiply-adds are in flight instead of one.
         */
        private void firstLayer(float[] delta) {
            int col = 0;
            for (; col + 4 * L <= cols; col += 4 * L) {
                FloatVector b0 = FloatVector.zero(S), b1 = b0, b2 = b0, b3 = b0;   // the bias: Σ_i δ_i
                for (int i = 0; i < rows; i++) {
                    int o = i * cols + col;
                    b0 = b0.add(FloatVector.fromArray(S, delta, o));
                    b1 = b1.add(FloatVector.fromArray(S, delta, o + L));
                    b2 = b2.add(FloatVector.fromArray(S, delta, o + 2 * L));
                    b3 = b3.add(FloatVector.fromArray(S, delta, o + 3 * L));
                }
                b0.intoArray(gb1, col);
                b1.intoArray(gb1, col + L);
                b2.intoArray(gb1, col + 2 * L);
                b3.intoArray(gb1, col + 3 * L);
                for (int k = 0; k < d; k++) {   // the weights: Σ_i x_ik δ_i
                    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                    for (int i = 0; i < rows; i++) {
                        int o = i * cols + col;
                        FloatVector xk = FloatVector.broadcast(S, x[i * d + k]);
                        s0 = FloatVector.fromArray(S, delta, o).fma(xk, s0);
                        s1 = FloatVector.fromArray(S, delta, o + L).fma(xk, s1);
                        s2 = FloatVector.fromArray(S, delta, o + 2 * L).fma(xk, s2);
                        s3 = FloatVector.fromArray(S, delta, o + 3 * L).fma(xk, s3);
                    }
                    int base = k * cols + col;
                    s0.intoArray(gw1, base);
                    s1.intoArray(gw1, base + L);
                    s2.intoArray(gw1, base + 2 * L);
                    s3.intoArray(gw1, base + 3 * L);
                }
            }
            for (; col < cols; col += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int i = 0; i < rows; i++) acc = acc.add(FloatVector.fromArray(S, delta, i * cols + col));
                acc.intoArray(gb1, col);
                for (int k = 0; k < d; k++) {
                    FloatVector w = FloatVector.zero(S);
                    for (int i = 0; i < rows; i++) w = FloatVector.fromArray(S, delta, i * cols + col).fma(FloatVector.broadcast(S, x[i * d + k]), w);
                    w.intoArray(gw1, k * cols + col);
                }
            }
        }

        /** The block's packed result into out's rows s0 … . */
        private void unpack(float[] out, int s0, int dim) {
            int dh = d * h;
            for (int s = 0; s < sb; s++) {
                int o = (s0 + s) * dim, col = s * h;
                for (int k = 0; k < d; k++) System.arraycopy(gw1, k * cols + col, out, o + k * h, h);
                System.arraycopy(gb1, col, out, o + dh, h);
                System.arraycopy(gw2, col, out, o + dh + h, h);
                out[o + dim - 1] = gb2[s];
            }
        }
    }
}
