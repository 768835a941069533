package sivi.amortised;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.autodiff.Ops.constant;

/**
 * The bounds against the exact marginal likelihood of a linear-Gaussian decoder: z ~ N(0, I_2),
 * x | z ~ N(z W + b, σ² I_3), so p(x) = N(b, WᵀW + σ² I). Every estimate is a mean over independent
 * replicates; "≤" and "<" are checked with 3 standard errors of that mean (one-sided false alarm
 * ≈ 1.3e-3 per check, all seeds fixed). For the IWAE bias the theory is the delta method:
 * log p(x) − E IWAE_K = Var(w) / (2 K p(x)²) + O(1/K²) (Maddison et al. 2017; Rainforth et al. 2018).
 */
class LinearGaussianBoundsTest {
    static final int LATENT = 2, D = 3;
    static final double SIGMA = 0.6;
    static final double[] X = {0.8, -1.1, 0.4};

    /** A decoder with W, b drawn once; the encoder's output layer is set by {@link #setGaussianQ}. */
    record Setup(Params p, Vae vae, double[][] w, double[] b) {}

    static Setup gaussian() {
        Params p = new Params();
        Rng r = new Rng(5);
        LinearGaussianDecoder dec = LinearGaussianDecoder.create(p, LATENT, D, SIGMA, r, DType.F64);
        p.put("dec.weight", r.normal(DType.F64, LATENT, D));
        GaussianEncoder enc = GaussianEncoder.create(p, D, new int[0], LATENT, r, DType.F64);
        Setup s = new Setup(p, new Vae(dec, enc, null), rows(p.get("dec.weight")), p.get("dec.bias").toDoubleArray());
        return s;
    }

    static double[][] rows(Tensor t) {
        double[] v = t.toDoubleArray();
        int n = t.shape()[0], m = t.shape()[1];
        double[][] r = new double[n][m];
        for (int i = 0; i < n; i++) System.arraycopy(v, i * m, r[i], 0, m);
        return r;
    }

    /** Exact log N(X; b, WᵀW + σ² I) by Cholesky. */
    static double exactLogP(Setup s) {
        double[][] c = new double[D][D];
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++) {
                for (int k = 0; k < LATENT; k++) c[i][j] += s.w()[k][i] * s.w()[k][j];
                if (i == j) c[i][j] += SIGMA * SIGMA;
            }
        double[][] l = new double[D][D];
        for (int i = 0; i < D; i++)
            for (int j = 0; j <= i; j++) {
                double v = c[i][j];
                for (int k = 0; k < j; k++) v -= l[i][k] * l[j][k];
                l[i][j] = i == j ? Math.sqrt(v) : v / l[j][j];
            }
        double[] y = new double[D];
        double logDet = 0, quad = 0;
        for (int i = 0; i < D; i++) {
            double v = X[i] - s.b()[i];
            for (int k = 0; k < i; k++) v -= l[i][k] * y[k];
            y[i] = v / l[i][i];
            quad += y[i] * y[i];
            logDet += 2 * Math.log(l[i][i]);
        }
        return -0.5 * (D * Math.log(2 * Math.PI) + logDet + quad);
    }

    /** The exact posterior N(m, S): S = (I + W Wᵀ/σ²)⁻¹, m = S W (x − b)/σ² (2×2, closed form). */
    static double[][] posterior(Setup s) {
        double[][] prec = new double[2][2];
        double[] r = new double[2];
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < D; j++) prec[a][c] += s.w()[a][j] * s.w()[c][j] / (SIGMA * SIGMA);
                if (a == c) prec[a][c] += 1;
            }
            for (int j = 0; j < D; j++) r[a] += s.w()[a][j] * (X[j] - s.b()[j]) / (SIGMA * SIGMA);
        }
        double det = prec[0][0] * prec[1][1] - prec[0][1] * prec[1][0];
        double[][] cov = {{prec[1][1] / det, -prec[0][1] / det}, {-prec[1][0] / det, prec[0][0] / det}};
        double[] m = {cov[0][0] * r[0] + cov[0][1] * r[1], cov[1][0] * r[0] + cov[1][1] * r[1]};
        return new double[][] {m, {cov[0][0], cov[1][1]}};
    }

    /** q(z | x) = N(m + 0.3, (1.5 sd)²) per coordinate: near the posterior, wider (so Var(w) is finite: diag(S) ≥ S/2 in 2-d). */
    static void setGaussianQ(Setup s, String layer) {
        double[][] post = posterior(s);
        double[] bias = new double[2 * LATENT];
        for (int k = 0; k < LATENT; k++) {
            bias[k] = post[0][k] + 0.3;
            bias[LATENT + k] = Math.log(1.5 * Math.sqrt(post[1][k]));
        }
        int in = s.p().get(layer + ".weight").shape()[0];
        s.p().put(layer + ".weight", Tensor.zeros(DType.F64, in, 2 * LATENT));
        s.p().put(layer + ".bias", Tensor.of(DType.F64, bias, 2 * LATENT));
    }

    /** The decoder of g with a semi-implicit encoder (noise 3, hidden 4) whose output layer gives g's q for every noise. */
    static Setup semiImplicit(Setup g, long seed, boolean reverse) {
        Params p = new Params();
        Rng r = new Rng(seed);
        LinearGaussianDecoder dec = LinearGaussianDecoder.create(p, LATENT, D, SIGMA, r, DType.F64);
        p.put("dec.weight", g.p().get("dec.weight"));
        p.put("dec.bias", g.p().get("dec.bias"));
        SemiImplicitEncoder enc = SemiImplicitEncoder.create(p, D, 4, LATENT, 3, r, DType.F64);
        Setup s = new Setup(p, new Vae(dec, enc, reverse ? ReverseModel.create(p, D, 4, LATENT, 3, r, DType.F64) : null), g.w(), g.b());
        setGaussianQ(s, "enc.out");
        return s;
    }

    static Var x() { return constant(Tensor.of(DType.F64, X, 1, D)); }

    /** Mean and standard error of the mean. */
    record Est(double mean, double se) {
        static Est of(double[] v) {
            double m = Arrays.stream(v).average().orElseThrow(), ss = 0;
            for (double t : v) ss += (t - m) * (t - m);
            return new Est(m, Math.sqrt(ss / (v.length - 1) / v.length));
        }
    }

    interface LogW { Var at(Rng rng); }

    /** reps replicates of a bound: importance-weighted (log mean w) or averaged (mean log w) over the draws of one call. */
    static Est replicate(LogW f, int reps, boolean weighted, long seed) {
        double[] v = new double[reps];
        GradMode.noGrad(() -> {
            for (int r = 0; r < reps; r++) {
                Var logW = f.at(Rng.of(seed, r));
                v[r] = (weighted ? Bounds.importanceWeighted(logW) : Bounds.averaged(logW)).item();
            }
            return null;
        });
        return Est.of(v);
    }

    static double[] logWeights(LogW f, long seed) { return GradMode.noGrad(() -> f.at(new Rng(seed)).value().toDoubleArray()); }

    @Test void elboBelowIwaeBelowExactLogPAndIwaeGapShrinksAsTheoryPredicts() {
        Setup s = gaussian();
        setGaussianQ(s, "enc.0");
        double logP = exactLogP(s);
        Params.Bound p = s.p().bind(k -> false);
        LogW draws = rng -> Bounds.gaussian(s.vae(), p, x(), 1, rng, false);
        double[] lw = logWeights(rng -> Bounds.gaussian(s.vae(), p, x(), 100_000, rng, false), 31);
        Est elbo = Est.of(lw);
        // Var(w)/p² = E[(w/p)²] − 1, estimated from the same draws
        double relVar = Arrays.stream(lw).map(t -> Math.exp(2 * (t - logP))).average().orElseThrow() - 1;
        Est iwae10 = replicate(rng -> Bounds.gaussian(s.vae(), p, x(), 10, rng, false), 2000, true, 32);
        Est iwae1000 = replicate(rng -> Bounds.gaussian(s.vae(), p, x(), 1000, rng, false), 300, true, 33);
        assertTrue(relVar > 0.1 && relVar < 100, "q is near the posterior but not equal to it: Var(w)/p² = " + relVar);
        assertTrue(elbo.mean() + 3 * Math.hypot(elbo.se(), iwae10.se()) < iwae10.mean(), "ELBO " + elbo + " < IWAE_10 " + iwae10);
        assertTrue(iwae10.mean() + 3 * Math.hypot(iwae10.se(), iwae1000.se()) < iwae1000.mean(), "IWAE_10 " + iwae10 + " < IWAE_1000 " + iwae1000);
        assertTrue(iwae1000.mean() <= logP + 3 * iwae1000.se(), "IWAE_1000 " + iwae1000 + " ≤ log p(x) " + logP);
        // the gaps against the delta-method prediction Var(w)/(2K p²), within a factor 2 plus the Monte Carlo error
        for (Object[] c : new Object[][] {{10, iwae10}, {1000, iwae1000}}) {
            int k = (Integer) c[0];
            Est e = (Est) c[1];
            double gap = logP - e.mean(), predicted = relVar / (2 * k);
            assertTrue(Math.abs(gap - predicted) <= predicted + 3 * e.se(), "K = " + k + ": gap " + gap + " vs predicted " + predicted + " (se " + e.se() + ")");
        }
    }

    @Test void semiImplicitEncoderThatIgnoresItsNoiseGivesTheGaussianBounds() {
        // q(z | psi, x) = q(z | x) for every psi: the SIVI weights are all q(z | x), so the averaged bound is the
        // ELBO and the M-draw one IWAE_M, whatever K
        Setup g = gaussian();
        setGaussianQ(g, "enc.0");
        Setup s = semiImplicit(g, 6, false);
        Params p = s.p();
        Params.Bound pg = g.p().bind(k -> false), ps = p.bind(k -> false);
        Est iwae = replicate(rng -> Bounds.gaussian(g.vae(), pg, x(), 100, rng, false), 1000, true, 41);
        Est sivi = replicate(rng -> Bounds.semiImplicit(s.vae(), ps, x(), 100, 5, false, rng), 1000, true, 42);
        assertTrue(Math.abs(iwae.mean() - sivi.mean()) <= 3 * Math.hypot(iwae.se(), sivi.se()), "IWAE_100 " + iwae + " vs m-SIVI " + sivi);
        Est elbo = Est.of(logWeights(rng -> Bounds.gaussian(g.vae(), pg, x(), 50_000, rng, false), 43));
        Est siviOne = Est.of(logWeights(rng -> Bounds.semiImplicit(s.vae(), ps, x(), 50_000, 5, false, rng), 44));
        assertTrue(Math.abs(elbo.mean() - siviOne.mean()) <= 3 * Math.hypot(elbo.se(), siviOne.se()), "ELBO " + elbo + " vs SIVI " + siviOne);
    }

    @Test void iwhviBoundsStayBelowExactLogPAndTightenWithK() {
        Setup s = semiImplicit(gaussian(), 7, true);
        Params p = s.p();
        // the noise moves the conditional mean: q(z | x) is a genuine (non-Gaussian) mixture
        p.put("enc.y.weight", new Rng(8).normal(DType.F64, 3, 4));
        p.put("enc.out.weight", scaled(new Rng(9).normal(DType.F64, 4, 2 * LATENT), 0.3));
        double logP = exactLogP(s);
        Params.Bound b = p.bind(k -> false);
        Est[] single = new Est[3];
        int[] ks = {0, 10, 100};
        for (int i = 0; i < ks.length; i++) {
            int k = ks[i];
            single[i] = Est.of(logWeights(rng -> Bounds.semiImplicit(s.vae(), b, x(), 20_000, k, true, rng), 50 + k));
            assertTrue(single[i].mean() <= logP + 3 * single[i].se(), "IWHVI K=" + k + " " + single[i] + " ≤ log p(x) " + logP);
        }
        assertTrue(single[0].mean() + 3 * Math.hypot(single[0].se(), single[2].se()) < single[2].mean(), "IWHVI tightens from K=0 " + single[0] + " to K=100 " + single[2]);
        Est multi = replicate(rng -> Bounds.semiImplicit(s.vae(), b, x(), 200, 10, true, rng), 200, true, 60);
        assertTrue(multi.mean() <= logP + 3 * multi.se(), "doubly importance-weighted IWHVI " + multi + " ≤ log p(x) " + logP);
        assertTrue(single[1].mean() + 3 * Math.hypot(single[1].se(), multi.se()) < multi.mean(), "M=200 " + multi + " above M=1 " + single[1]);
    }

    private static Tensor scaled(Tensor t, double c) { return sivi.autodiff.GradCheck.axpy(Tensor.zeros(DType.F64, t.shape()), t, c); }
}
