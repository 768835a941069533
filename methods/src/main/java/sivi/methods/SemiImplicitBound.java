package sivi.methods;

import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.ReverseModel;
import sivi.families.SemiImplicit;
import sivi.fit.DensitySession;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.constant;

/**
 * Draws of a semi-implicit q with the IWHVI upper bound on log q at each (Sobolev &amp; Vetrov 2019, §3, eq. 7;
 * docs/algorithms.md#psis), for PSIS-k̂ where q has no closed-form density:
 * <pre>
 *   log q̂(x) = log (1/(K+1)) Σ_{k=0}^{K} q(x | z_k) q(z_k) / τ(z_k | x),   z_0 the draw that generated x, z_{1..K} ~ τ(· | x)
 * </pre>
 * with E log q̂(x) ≥ log q(x), tightening as K grows. τ is IWHVI's reverse model where the method has one, and
 * the mixing distribution q(z) otherwise (then the ratio q(z)/τ(z|x) is 1 and the bound is SIVI's, Yin &amp; Zhou
 * 2018 eq. 6); with the mixing distribution it needs only the conditional q(x | z), so it serves every family
 * whose last step is an explicit Gaussian conditional (simi, net_sigma, full-covariance, layered, hierarchical).
 */
final class SemiImplicitBound {
    private SemiImplicitBound() {}

    /** K of the bound with the mixing distribution as proposal: mixing draws per x (shared by all x, n·K·d work). */
    static final int K = 1000;
    /** K with IWHVI's trained reverse model: τ(z|x) sits near q(z|x), so fewer draws do, and each costs a τ and a q pass. */
    static final int K_REVERSE = 100;
    /** Rows of x per graph for the reverse-model bound (chunk · K rows of width max(d, dz) at a time). */
    private static final int CHUNK_ELEMENTS = 2_000_000;

    /** n draws and the bound with τ = the mixing distribution and k mixing draws, at the given parameters. */
    static DensitySession.Draws withMixingProposal(Family q, Params params, Rng rng, int n, int k) {
        return GradMode.noGrad(() -> {
            Params.Bound p = params.bind();
            Family.Draw d0 = q.sample(p, rng, n), dk = q.sample(p, rng, k);
            double[] logQ = d0.sigma() != null ? diagonal(d0, dk) : conditional(q, p, d0, dk);
            return new DensitySession.Draws(d0.x().value().cast(DType.F64), Tensor.of(DType.F64, logQ, n));
        });
    }

    /** n draws and the bound with IWHVI's reverse model τ(z | x) as proposal, K draws from it per x. */
    static DensitySession.Draws withReverseModel(SemiImplicit q, ReverseModel tau, Params params, Rng rng, int n, int k) {
        return GradMode.noGrad(() -> {
            Params.Bound p = params.bind();
            Family.Draw d = q.sample(p, rng, n);
            int chunk = Math.max(1, CHUNK_ELEMENTS / (k * Math.max(q.dim(), q.mixingDim())));
            double[] logQ = new double[n];
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                Var x = constant(d.x().value().slice(0, from, to).contiguous()), z = constant(d.z().value().slice(0, from, to).contiguous());
                double[] u = Iwhvi.upperBound(q, p, xs -> tau.conditional(p, xs), null, x, z, k, rng)[0].value().cast(DType.F64).toDoubleArray();
                System.arraycopy(u, 0, logQ, from, to - from);
            }
            return new DensitySession.Draws(d.x().value().cast(DType.F64), Tensor.of(DType.F64, logQ, n));
        });
    }

    /** Diagonal Gaussian conditionals N(μ(z), diag σ(z)²) (σ n×d or 1×d), in float64 loops: n·(K+1)·d terms. */
    static double[] diagonal(Family.Draw d0, Family.Draw dk) {
        int n = d0.x().dim(0), d = d0.x().dim(1), K = dk.x().dim(0);
        double[] x = f64(d0.x()), mu0 = f64(d0.mu()), s0 = f64(d0.sigma()), muK = f64(dk.mu()), sK = f64(dk.sigma());
        boolean shared0 = d0.sigma().dim(0) == 1, sharedK = dk.sigma().dim(0) == 1;
        double[] invK = new double[sK.length], logDetK = new double[sharedK ? 1 : K];
        for (int i = 0; i < sK.length; i++) { invK[i] = 1 / sK[i]; logDetK[sharedK ? 0 : i / d] += Math.log(sK[i]); }
        double c = -0.5 * d * Math.log(2 * Math.PI), logK1 = Math.log(K + 1.0);
        double[] out = new double[n], terms = new double[K + 1];
        for (int i = 0; i < n; i++) {
            double q0 = c;
            for (int j = 0; j < d; j++) {
                double s = s0[(shared0 ? 0 : i) * d + j], e = (x[i * d + j] - mu0[i * d + j]) / s;
                q0 -= 0.5 * e * e + Math.log(s);
            }
            terms[0] = q0;
            for (int m = 0; m < K; m++) {
                int sRow = (sharedK ? 0 : m) * d;
                double acc = 0;
                for (int j = 0; j < d; j++) {
                    double e = (x[i * d + j] - muK[m * d + j]) * invK[sRow + j];
                    acc += e * e;
                }
                terms[m + 1] = c - 0.5 * acc - logDetK[sharedK ? 0 : m];
            }
            out[i] = logSumExp(terms) - logK1;
        }
        return out;
    }

    /** Any conditional log q(x | z) the family computes (full-covariance SIVI): x_i against z_0i and the K z's. */
    static double[] conditional(Family q, Params.Bound p, Family.Draw d0, Family.Draw dk) {
        int n = d0.x().dim(0), d = d0.x().dim(1), dz = d0.z().dim(1), K = dk.x().dim(0);
        double[] x = f64(d0.x()), zK = f64(dk.z());
        double[] q0 = f64(q.conditionalLogDensity(p, d0.x(), d0.z()));
        DType dt = d0.x().dtype();
        double logK1 = Math.log(K + 1.0);
        double[] out = new double[n], terms = new double[K + 1];
        for (int i = 0; i < n; i++) {
            double[] xr = new double[K * d];
            for (int m = 0; m < K; m++) System.arraycopy(x, i * d, xr, m * d, d);
            double[] qk = f64(q.conditionalLogDensity(p, constant(Tensor.of(dt, xr, K, d)), constant(Tensor.of(dt, zK, K, dz))));
            terms[0] = q0[i];
            System.arraycopy(qk, 0, terms, 1, K);
            out[i] = logSumExp(terms) - logK1;
        }
        return out;
    }

    private static double logSumExp(double[] a) {
        double max = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : a) max = Math.max(max, v);
        if (max == Double.NEGATIVE_INFINITY) return max;
        for (double v : a) s += Math.exp(v - max);
        return max + Math.log(s);
    }

    private static double[] f64(Var v) { return v.value().cast(DType.F64).toDoubleArray(); }
}
