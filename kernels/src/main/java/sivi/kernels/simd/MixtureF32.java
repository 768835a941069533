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

    /** Per-component constants: muT[j][k], inv2T[j][k] = σ_kj^{-2} (or σ^{-1} for the forward), c[k] = −Σ_j log σ_kj − d/2 log 2π. */
    private record Params(int kk, int d, float[] muT, float[] invT, float[] c) {
        static Params of(Tensor mu, Tensor logSigma, boolean squared) {
            int kk = mu.dim(0), d = mu.dim(1);
            double[] mv = mu.toDoubleArray(), sv = logSigma.toDoubleArray();
            boolean shared = logSigma.dim(0) == 1;
            float[] muT = new float[d * kk], invT = new float[d * kk], c = new float[kk];
            for (int k = 0; k < kk; k++) {
                double s = -0.5 * d * LOG_2PI;
                for (int j = 0; j < d; j++) {
                    double ls = sv[(shared ? 0 : k * d) + j];
                    s -= ls;
                    muT[j * kk + k] = (float) mv[k * d + j];
                    invT[j * kk + k] = (float) Math.exp(squared ? -2 * ls : -ls);
                }
                c[k] = (float) s;
            }
            return new Params(kk, d, muT, invT, c);
        }
    }

    /** ℓ[k] = c_k − ½ Σ_j ((x_j − μ_kj)/σ_kj)² for one row x[xo .. xo+d). */
    private static void logDensities(Params p, float[] x, int xo, float[] l) {
        int kk = p.kk;
        for (int k = 0; k < kk; k += L) {
            VectorMask<Float> m = S.indexInRange(k, kk);
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < p.d; j++) {
                FloatVector z = FloatVector.fromArray(S, p.muT, j * kk + k, m).neg().add(x[xo + j]).mul(FloatVector.fromArray(S, p.invT, j * kk + k, m));
                acc = z.fma(z, acc);
            }
            acc.mul((float) -0.5).add(FloatVector.fromArray(S, p.c, k, m)).intoArray(l, k, m);
        }
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
                for (int i = lo; i < hi; i++) {
                    for (int k = 0; k < kk; k += L) {
                        VectorMask<Float> m = S.indexInRange(k, kk);
                        FloatVector.fromArray(S, q, i * kk + k, m).mul((float) -0.5).add(cf).intoArray(q, i * kk + k, m);
                    }
                    out[i] = ElementwiseF32.reduceRow(Reduce.LOGSUMEXP, q, i * kk, kk) - logK;
                }
            });
            return Tensor.wrap(out, n);
        }
        Params p = Params.of(mu, logSigma, false);
        par.run(n, Math.max(1, ElementwiseF32.GRAIN / Math.max(1, kk * Math.max(1, d))), (ch, lo, hi) -> {
            float[] l = new float[kk];
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
        float[][] gmuT = new float[chunks][d * kk], glsT = new float[chunks][d * kk], wsum = new float[chunks][kk];
        par.run(n, Math.max(1, ElementwiseF32.GRAIN / Math.max(1, kk * Math.max(1, d))), (ch, lo, hi) -> {
            float[] l = new float[kk], gm = gmuT[ch], gs = glsT[ch], ws = wsum[ch];
            for (int i = lo; i < hi; i++) {
                logDensities(fwd, xv, i * d, l);
                float m = ElementwiseF32.maxRow(l, 0, kk);
                FloatVector sum = FloatVector.zero(S);
                for (int k = 0; k < kk; k += L) {
                    VectorMask<Float> mk = S.indexInRange(k, kk);
                    FloatVector e = FloatVector.fromArray(S, l, k, mk).sub(m).lanewise(EXP);
                    e.intoArray(l, k, mk);
                    sum = sum.add(e, mk);
                }
                float scale = g[i] / sum.reduceLanes(ADD);
                for (int k = 0; k < kk; k += L) {
                    VectorMask<Float> mk = S.indexInRange(k, kk);
                    FloatVector w = FloatVector.fromArray(S, l, k, mk).mul(scale);
                    w.intoArray(l, k, mk);
                    FloatVector.fromArray(S, ws, k, mk).add(w).intoArray(ws, k, mk);
                }
                for (int j = 0; j < d; j++) {
                    float xj = xv[i * d + j];
                    FloatVector acc = FloatVector.zero(S);
                    for (int k = 0, o = j * kk; k < kk; k += L, o += L) {
                        VectorMask<Float> mk = S.indexInRange(k, kk);
                        FloatVector diff = FloatVector.fromArray(S, bwd.muT, o, mk).neg().add(xj);
                        FloatVector t = FloatVector.fromArray(S, l, k, mk).mul(diff).mul(FloatVector.fromArray(S, bwd.invT, o, mk));
                        acc = acc.add(t, mk);
                        FloatVector.fromArray(S, gm, o, mk).add(t).intoArray(gm, o, mk);
                        t.fma(diff, FloatVector.fromArray(S, gs, o, mk)).intoArray(gs, o, mk);
                    }
                    gx[i * d + j] = -acc.reduceLanes(ADD);
                }
            }
        });
        float[] gmu = new float[kk * d], gls = new float[sharedShape ? d : kk * d];
        for (int c = 0; c < chunks; c++)
            for (int k = 0; k < kk; k++)
                for (int j = 0; j < d; j++) {
                    gmu[k * d + j] += gmuT[c][j * kk + k];
                    gls[(sharedShape ? 0 : k * d) + j] += glsT[c][j * kk + k] - wsum[c][k];
                }
        return new Tensor[] {Tensor.wrap(gx, n, d), Tensor.wrap(gmu, kk, d), Tensor.wrap(gls, logSigma.shape())};
    }
}
