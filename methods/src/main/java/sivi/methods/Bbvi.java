package sivi.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Gaussians;
import sivi.families.MeanFieldGaussian;
import sivi.fit.DensitySession;
import sivi.fit.Method;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Options;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.optim.Adam;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Black-box VI with the score-function gradient (Ranganath, Gerrish &amp; Blei, AISTATS 2014;
 * docs/algorithms.md#bbvi) for the mean-field Gaussian q(z) = Π_i N(z_i | μ_i, σ_i²), σ_i = e^{ω_i}.
 * Only log p is evaluated (no score). With z_s = μ + σ ⊙ ξ_s, s = 1..S, and per component i
 * h_i(z) = ∇_{λ_i} log q_i(z_i) = (ξ_i/σ_i, ξ_i² − 1) for λ_i = (μ_i, ω_i):
 * <pre>
 *   plain                ĝ_i = (1/S) Σ_s h_i(z_s) (log p(z_s) − log q(z_s))                 (eq. 3)
 *   rao_blackwell=true   ĝ_i = (1/S) Σ_s h_i(z_s) (log p(z_s) − log q_i(z_s,i))             (eq. 6 with the full log p)
 *   control_variate      ĝ_i = (1/S) Σ_s (f_i(z_s) − a_i h_i(z_s)),  a_i = Σ_d Cov(f_id, h_id) / Σ_d Var(h_id)   (eq. 9)
 * </pre>
 * f_i is the summand of the chosen estimator and d runs over the two parameters of component i;
 * covariances are sample covariances of the same S draws (as the paper does; a bias of order 1/S).
 * Rao-Blackwellisation for a black-box target: the paper keeps in component i only the terms of
 * log p in z_i's Markov blanket; a black box exposes no factorisation, so the full log p is kept and what
 * is removed are the other components' log q_j(z_j), j ≠ i, which are independent of z_i, so E[h_i log q_j] = 0:
 * the estimator stays unbiased and loses their noise. Ascent on ĝ with Adam (the paper uses AdaGrad).
 * Objective reported: −(1/S) Σ_s (log p(z_s) − log q(z_s)), the negative ELBO estimate.
 */
public final class Bbvi implements Method {
    @Override public String name() { return "bbvi"; }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("bbvi",
            "black-box VI (Ranganath et al. 2014): score-function ELBO gradient of a mean-field Gaussian, optional control variate and Rao-Blackwellisation",
            Estimators.concat(List.of(
                    OptionSpec.integer("batch", 100, "draws S per iteration").min(2),
                    OptionSpec.choice("control_variate", "optimal", "none, or ∇log q_i scaled per component by Cov(f_i, h_i)/Var(h_i)", "none", "optimal"),
                    OptionSpec.bool("rao_blackwell", false, "per-component estimator with log q_i instead of log q (see docs: with a black-box log p it can raise the variance)"),
                    OptionSpec.real("log_sigma_init", 0.0, "initial log σ of every coordinate"),
                    Estimators.lr("lr", 1e-2, "Adam learning rate")), Estimators.SCHEDULE),
            Bbvi::new);

    /** Which gradient estimator of the mean-field ELBO: the four score-function variants and the reparameterisation one. */
    public enum Estimator {
        SCORE("score function"), SCORE_CV("score function + control variate"), RAO_BLACKWELL("Rao-Blackwellised"),
        RAO_BLACKWELL_CV("Rao-Blackwellised + control variate"), REPARAM("reparameterisation");

        public final String label;

        Estimator(String label) { this.label = label; }

        static Estimator of(boolean rb, boolean cv) { return rb ? (cv ? RAO_BLACKWELL_CV : RAO_BLACKWELL) : (cv ? SCORE_CV : SCORE); }
    }

    @Override public DensitySession init(Target target, Options o, DType dtype, Rng rng) {
        int batch = o.getInt("batch", 100);
        if (batch < 2) throw new IllegalArgumentException("bbvi: batch must be >= 2 (the control variate needs a variance), got " + batch);
        boolean cv = o.getString("control_variate", "optimal").equals("optimal");
        Estimator e = Estimator.of(o.getBool("rao_blackwell", false), cv);
        TrainState state = new TrainState();
        MeanFieldGaussian q = MeanFieldGaussian.create(state.params(), "q", target.dim(), o.getDouble("log_sigma_init", 0), dtype);
        state.addGroup("q", List.of("q."), Adam.reference(), Estimators.schedule(o, "lr", 1e-2), 0);
        return new BbviSession(state, q, batch, e);
    }

    /** A gradient estimate of the ELBO (ascent direction) w.r.t. μ and ω = log σ, and the ELBO estimate of the same draws. */
    public record Gradient(double[] mu, double[] logSigma, double elbo) {}

    /**
     * One estimate of ∇_{μ,ω} ELBO at q = N(μ, diag e^{2ω}) from s draws of rng in dtype (see the class
     * comment; REPARAM: (1/S) Σ_s s_p(z_s) for μ and (1/S) Σ_s s_p(z_s) ⊙ σ ⊙ ξ_s + 1 for ω, the entropy's gradient analytic).
     */
    public static Gradient gradient(Estimator e, Target t, double[] mu, double[] logSigma, int s, Rng rng, DType dtype) {
        int d = mu.length;
        double[] xi = rng.normal(dtype, s, d).toDoubleArray(), x = new double[s * d], sigma = new double[d];
        for (int j = 0; j < d; j++) sigma[j] = Math.exp(logSigma[j]);
        for (int i = 0; i < s; i++) for (int j = 0; j < d; j++) x[i * d + j] = mu[j] + sigma[j] * xi[i * d + j];
        Tensor xt = Tensor.of(dtype, x, s, d);
        double[] lp = GradMode.noGrad(() -> t.logDensity(constant(xt)).value()).toDoubleArray();
        double[] logQi = new double[s * d], logQ = new double[s];
        double elbo = 0;
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < d; j++) {
                logQi[i * d + j] = -0.5 * xi[i * d + j] * xi[i * d + j] - logSigma[j] - 0.5 * Gaussians.LOG_2PI;
                logQ[i] += logQi[i * d + j];
            }
            elbo += (lp[i] - logQ[i]) / s;
        }
        double[] gMu = new double[d], gOmega = new double[d];
        if (e == Estimator.REPARAM) {
            double[] sp = t.scoreValue(xt).toDoubleArray();
            for (int i = 0; i < s; i++)
                for (int j = 0; j < d; j++) {
                    gMu[j] += sp[i * d + j] / s;
                    gOmega[j] += sp[i * d + j] * sigma[j] * xi[i * d + j] / s;
                }
            for (int j = 0; j < d; j++) gOmega[j] += 1;
            return new Gradient(gMu, gOmega, elbo);
        }
        boolean rb = e == Estimator.RAO_BLACKWELL || e == Estimator.RAO_BLACKWELL_CV;
        boolean cv = e == Estimator.SCORE_CV || e == Estimator.RAO_BLACKWELL_CV;
        double[] hm = new double[s], ho = new double[s], fm = new double[s], fo = new double[s];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < s; i++) {
                double z = xi[i * d + j];
                hm[i] = z / sigma[j];
                ho[i] = z * z - 1;
                double w = lp[i] - (rb ? logQi[i * d + j] : logQ[i]);
                fm[i] = hm[i] * w;
                fo[i] = ho[i] * w;
            }
            double a = 0;
            if (cv) {
                double den = variance(hm, hm) + variance(ho, ho);
                a = den > 0 ? (variance(fm, hm) + variance(fo, ho)) / den : 0;
            }
            for (int i = 0; i < s; i++) {
                gMu[j] += (fm[i] - a * hm[i]) / s;
                gOmega[j] += (fo[i] - a * ho[i]) / s;
            }
        }
        return new Gradient(gMu, gOmega, elbo);
    }

    /** Sample covariance of a and b (denominator n − 1). */
    private static double variance(double[] a, double[] b) {
        int n = a.length;
        double ma = 0, mb = 0, c = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
        ma /= n; mb /= n;
        for (int i = 0; i < n; i++) c += (a[i] - ma) * (b[i] - mb);
        return c / (n - 1);
    }

    private record BbviSession(TrainState state, MeanFieldGaussian q, int batch, Estimator estimator) implements DensitySession {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            DType dt = state.params().get("q.mu").dtype();
            Gradient g = gradient(estimator, t, state.params().get("q.mu").toDoubleArray(), state.params().get("q.log_sigma").toDoubleArray(), batch, rng, dt);
            int d = g.mu().length;
            Map<String, Tensor> descent = new LinkedHashMap<>();
            descent.put("q.mu", Tensor.of(dt, negate(g.mu()), 1, d));
            descent.put("q.log_sigma", Tensor.of(dt, negate(g.logSigma()), 1, d));
            state.apply("q", descent, iteration);
            return StepInfo.of(-g.elbo());
        }

        private static double[] negate(double[] a) {
            double[] b = new double[a.length];
            for (int i = 0; i < a.length; i++) b[i] = -a[i];
            return b;
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public Draws sampleWithLogDensity(Rng rng, int n) { return DensityFamilies.draws(q, state, rng, n); }
        @Override public java.util.Optional<double[]> logDensity(Tensor x) { return DensityFamilies.logDensity(q, state, x); }
    }
}
