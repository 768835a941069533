package sivi.kernels.simd;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import sivi.kernels.Reduce;
import sivi.tensor.Tensor;

/**
 * The log-sum-exp Gaussian mixture out[n] = log (1/K) Σ_k N(x_n | μ_k, diag σ_k²) and its backward,
 * one row of x at a time (so rows parallelise), vectorised over the K components: parameters are
 * kept transposed (d × K) so that lane i is component i.
 */
final class MixtureF32 {
    private MixtureF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /**
     * Per-component constants, transposed and padded to kp = K rounded up to the lane count so that
     * the loops need no masks: muT[j][k], invT[j][k] = σ_kj^{-2} (or σ^{-1} for the forward),
     * c[k] = −Σ_j log σ_kj − d/2 log 2π. Padding lanes have μ = 0, 1/σ = 0 and c = −∞, so their
     * ℓ is −∞ and their responsibility exactly 0.
     */
    private record Params(int kk, int kp, int d, float[] muT, float[] invT, float[] c) {
        static Params of(Tensor mu, Tensor logSigma, boolean squared) {
            int kk = mu.dim(0), d = mu.dim(1), kp = (kk + L - 1) / L * L;
            double[] mv = mu.toDoubleArray(), sv = logSigma.toDoubleArray();
            boolean shared = logSigma.dim(0) == 1;
            float[] muT = new float[d * kp], invT = new float[d * kp], c = new float[kp];
            java.util.Arrays.fill(c, kk, kp, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < kk; k++) {
                double s = -0.5 * d * LOG_2PI;
                for (int j = 0; j < d; j++) {
                    double ls = sv[(shared ? 0 : k * d) + j];
                    s -= ls;
                    muT[j * kp + k] = (float) mv[k * d + j];
                    invT[j * kp + k] = (float) Math.exp(squared ? -2 * ls : -ls);
                }
                c[k] = (float) s;
            }
            return new Params(kk, kp, d, muT, invT, c);
        }
    }

    /** ℓ[k] = c_k − ½ Σ_j ((x_j − μ_kj)/σ_kj)² for one row x[xo .. xo+d), k < kp. */
    private static void logDensities(Params p, float[] x, int xo, float[] l) {
        int kp = p.kp;
        for (int k = 0; k < kp; k += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0, o = k; j < p.d; j++, o += kp) {
                FloatVector z = FloatVector.fromArray(S, p.muT, o).neg().add(x[xo + j]).mul(FloatVector.fromArray(S, p.invT, o));
                acc = z.fma(z, acc);
            }
            acc.mul((float) -0.5).add(FloatVector.fromArray(S, p.c, k)).intoArray(l, k);
        }
    }

    /** log Σ_k exp(c − ½ q[k]) over the row q[o .. o+kk), which is overwritten with the ℓ values. */
    private static float sharedRow(float[] q, int o, int kk, float c) {
        for (int k = 0; k < kk; k += L) {
            VectorMask<Float> m = S.indexInRange(k, kk);
            FloatVector.fromArray(S, q, o + k, m).mul((float) -0.5).add(c).intoArray(q, o + k, m);
        }
        return ElementwiseF32.reduceRow(Reduce.LOGSUMEXP, q, o, kk);
    }

    static Tensor forward(Par par, Tensor x, Tensor mu, Tensor logSigma, boolean shared) {
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        float[] xv = x.contiguous().toFloatArray(), out = new float[n];
        float logK = (float) Math.log(kk);
        if (shared) {
            // Shared σ: ℓ_nk = c − ½ ||x_n/σ − μ_k/σ||², a squared distance on the GEMM driver.
            double[] sv = logSigma.toDoubleArray();
            float[] mv = mu.contiguous().toFloatArray();
            double c = -0.5 * d * LOG_2PI;
            for (int j = 0; j < d; j++) {
                c -= sv[j];
                float inv = (float) Math.exp(-sv[j]);
                for (int i = 0; i < n; i++) xv[i * d + j] *= inv;
                for (int k = 0; k < kk; k++) mv[k * d + j] *= inv;
            }
            float[] q = new float[n * kk];
            GemmF32.gemm(par, GemmF32.SQ, n, kk, d, xv, 0, d, 1, mv, 0, 1, d, q, null);
            float cf = (float) c;
            par.run(n, Math.max(1, ElementwiseF32.GRAIN / Math.max(1, kk)), (ch, lo, hi) -> {
                for (int i = lo; i < hi; i++) out[i] = sharedRow(q, i * kk, kk, cf) - logK;
            });
            return Tensor.wrap(out, n);
        }
        Params p = Params.of(mu, logSigma, false);
        par.run(n, Math.max(1, ElementwiseF32.GRAIN / Math.max(1, kk * Math.max(1, d))), (ch, lo, hi) -> {
            float[] l = new float[p.kp];
            for (int i = lo; i < hi; i++) {
                logDensities(p, xv, i * d, l);
                out[i] = ElementwiseF32.reduceRow(Reduce.LOGSUMEXP, l, 0, kk) - logK;
            }
        });
        return Tensor.wrap(out, n);
    }

    /**
     * With responsibilities w_nk = g_n softmax_k(ℓ_n·) and t = w (x_n − μ_k)/σ_k²:
     * gx_n = −Σ_k t, gμ_k = Σ_n t, glogσ_k = Σ_n (t (x_n − μ_k) − w). Each chunk of rows keeps its
     * own d×K partials of gμ and glogσ; they are added in chunk order.
     */
    static Tensor[] backward(Par par, Tensor x, Tensor mu, Tensor logSigma, Tensor gOut) {
        int n = x.dim(0), kk = mu.dim(0), d = x.dim(1);
        boolean sharedShape = logSigma.dim(0) == 1 && kk != 1;
        float[] xv = x.contiguous().toFloatArray(), g = gOut.contiguous().toFloatArray(), gx = new float[n * d];
        Params fwd = Params.of(mu, logSigma, false), bwd = Params.of(mu, logSigma, true);
        int chunks = par.chunks(n, Math.max(1, ElementwiseF32.GRAIN / Math.max(1, kk * Math.max(1, d))));
        int kp = fwd.kp;
        float[][] gmuT = new float[chunks][d * kp], glsT = new float[chunks][d * kp], wsum = new float[chunks][kp];
        par.run(n, Math.max(1, ElementwiseF32.GRAIN / Math.max(1, kk * Math.max(1, d))), (ch, lo, hi) -> {
            float[] l = new float[kp], lanes = new float[L];
            for (int i = lo; i < hi; i++) backwardRow(fwd, bwd, xv, i, g[i], l, lanes, gmuT[ch], glsT[ch], wsum[ch], gx);
        });
        float[] gmu = new float[kk * d], gls = new float[sharedShape ? d : kk * d];
        for (int c = 0; c < chunks; c++)
            for (int k = 0; k < kk; k++)
                for (int j = 0; j < d; j++) {
                    gmu[k * d + j] += gmuT[c][j * kp + k];
                    gls[(sharedShape ? 0 : k * d) + j] += glsT[c][j * kp + k] - wsum[c][k];
                }
        return new Tensor[] {Tensor.wrap(gx, n, d), Tensor.wrap(gmu, kk, d), Tensor.wrap(gls, logSigma.shape())};
    }

    /**
     * Row i of the backward: responsibilities into l, gx_i, and the row's contributions added into the
     * chunk's partials gm, gs (d×K) and ws (K). The row loop calls this so that it is compiled early.
     */
    private static void backwardRow(Params fwd, Params bwd, float[] xv, int i, float gi, float[] l, float[] lanes, float[] gm, float[] gs, float[] ws, float[] gx) {
        int kp = fwd.kp, d = fwd.d;
        logDensities(fwd, xv, i * d, l);
        float m = ElementwiseF32.maxRow(l, 0, kp);
        FloatVector sum = FloatVector.zero(S);
        for (int k = 0; k < kp; k += L) {
            FloatVector e = FloatMath.exp(FloatVector.fromArray(S, l, k).sub(m));
            e.intoArray(l, k);
            sum = sum.add(e);
        }
        sum.intoArray(lanes, 0);   // lane sums through an array (the same bits, LaneSumTest): once per row, a vector argument was boxed
        float scale = gi / FloatMath.sum(lanes, 0);
        for (int k = 0; k < kp; k += L) {
            FloatVector w = FloatVector.fromArray(S, l, k).mul(scale);
            w.intoArray(l, k);
            FloatVector.fromArray(S, ws, k).add(w).intoArray(ws, k);
        }
        for (int j = 0; j < d; j++) {
            float xj = xv[i * d + j];
            FloatVector acc = FloatVector.zero(S);
            for (int k = 0, o = j * kp; k < kp; k += L, o += L) {
                FloatVector diff = FloatVector.fromArray(S, bwd.muT, o).neg().add(xj);
                FloatVector t = FloatVector.fromArray(S, l, k).mul(diff).mul(FloatVector.fromArray(S, bwd.invT, o));
                acc = acc.add(t);
                FloatVector.fromArray(S, gm, o).add(t).intoArray(gm, o);
                t.fma(diff, FloatVector.fromArray(S, gs, o)).intoArray(gs, o);
            }
            acc.intoArray(lanes, 0);
            gx[i * d + j] = -FloatMath.sum(lanes, 0);
        }
    }
}
