package sivi.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Family;
import sivi.families.SemiImplicitGaussian;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.kernels.StationaryKernel;
import sivi.nn.Linear;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Kernelised path gradient (Pielok, Bischl, Rügamer, AISTATS 2026; docs/algorithms.md#kpg). The path
 * gradient of KL(q‖p), E[(∇log q(x) − s_p(x))ᵀ ∂x/∂φ], with the unknown marginal score difference
 * replaced by its kernel-smoothed, semi-implicit estimate
 * <pre>  v(x) = E_{(x',z')~q}[ k(x, x') c(x', z') ],  c(x', z') = ∇_{x'} log q(x'|z') − s_p(x') = −ξ'/σ − s_p(x'). </pre>
 * <b>kpg</b>: V = K·C' (an N×N Gaussian kernel with the detached median bandwidth
 * h² = ½·median(D)/log(N+1), times the N×d matrix C' of a second, no-grad batch; a sum, not a mean),
 * loss = (1/N) Σ_n ⟨V_n, x_n⟩ with V a constant — so ∇_φ = (1/N) Σ_n J_φ(x_n)ᵀ V_n. No HVP: s_p is
 * evaluated only at detached points; the only differentiated path is x = μ_φ(z) + σξ.
 *
 * <p><b>kpg-is</b> (docs/algorithms.md#kpg-is, "importance-sampling correction"): V_n = (1/M) Σ_m w_nm c'_nm with
 * z'_nm drawn from a proposal r_η(z|x_n) ≈ q(z|x_n), x'_nm = μ_φ(z'_nm) + σξ'_nm, and
 * log w_nm = log N(z'_nm; 0, I) − log r(z'_nm|x_n) − D_nm/(2h²) (computed in log space; plain, not
 * self-normalised weights; h from the median of the detached N×M distances, h² = ½·med/log(M+1)).
 * The proposal is the mixture r(z|x) = α(x)·N(0, I) + (1−α(x))·N(m(x), diag s(x)²) with an MLP trunk
 * d → h → h → h (ReLU), heads m (linear), s (softplus) and α = α_inf + (α_sup − α_inf)·sigmoid(·).
 * Each iteration first takes one Adam step of η on −(1/N) Σ_n log r(z_n | x_n) over the current
 * batch (both detached). Draws from the prior component are shared across n (one set of M
 * standard-normal (z, ξ) pairs, so their μ_φ evaluations are shared); the component is chosen per
 * (n, m) with probability α(x_n). M = {@code num_proposals} (default N).
 *
 * <p>Objective reported (both variants): the KSD² estimate (1/N) Σ_n c_nᵀ V_n / N (kpg) or
 * (1/N) Σ_n c_nᵀ V_n (kpg-is) with c_n the grad batch's score difference — ≥ 0 in expectation and 0
 * when q = p; extra "surrogate" = the loss value (1/N)Σ⟨V_n, x_n⟩ (meaningless as a number).
 */
public final class Kpg implements Method {
    private final boolean importanceSampling;

    public Kpg() { this(false); }

    private Kpg(boolean is) { this.importanceSampling = is; }

    /** The importance-sampling variant, registered as "kpg-is". */
    public static Kpg importanceSampling() { return new Kpg(true); }

    @Override public String name() { return importanceSampling ? "kpg-is" : "kpg"; }

    private static List<OptionSpec> options(boolean is) {
        List<OptionSpec> o = new java.util.ArrayList<>(Simi.Recipe.options(-20));
        if (is) o.addAll(List.of(
                OptionSpec.integer("proposal_hidden", null, "width of the proposal network (default: hidden)").min(1),
                OptionSpec.real("alpha_inf", 0.01, "lower bound of the proposal's mixing weight α").min(0),
                OptionSpec.real("alpha_sup", 0.9, "upper bound of α (≤ 1)").min(0),
                OptionSpec.integer("num_proposals", null, "proposal draws M (default: batch)").min(2),
                Estimators.lr("lr_proposal", null, "Adam learning rate of the proposal (default: lr)")));
        return o;
    }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("kpg",
            "kernelised path gradient (Pielok et al. 2026): KL path gradient with a kernel-smoothed score difference", options(false), Kpg::new);
    public static final MethodDescriptor IMPORTANCE_SAMPLING = new MethodDescriptor("kpg-is",
            "kernelised path gradient with an importance-sampled reverse conditional (Pielok et al. 2026)", options(true), Kpg::importanceSampling);

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        Simi.Recipe r = Simi.Recipe.read(o, -20);
        TrainState state = new TrainState();
        SemiImplicitGaussian q = r.simiNet(state, target, rng, dtype);
        Proposal prop = null;
        int m = r.batch();
        if (importanceSampling) {
            int ph = o.getInt("proposal_hidden", r.hidden());
            double aInf = o.getDouble("alpha_inf", 0.01), aSup = o.getDouble("alpha_sup", 0.9);
            if (!(0 <= aInf && aInf <= aSup && aSup <= 1)) throw new IllegalArgumentException("kpg-is: need 0 <= alpha_inf <= alpha_sup <= 1, got " + aInf + ", " + aSup);
            m = o.getInt("num_proposals", r.batch());
            if (m < 2) throw new IllegalArgumentException("kpg-is: num_proposals must be >= 2, got " + m);
            prop = Proposal.create(state.params(), target.dim(), r.zdim(), ph, aInf, aSup, rng, dtype);
            state.addGroup("proposal", List.of("r."), Adam.reference(),
                    LrSchedule.step(o.getDouble("lr_proposal", r.lr()), r.lrGamma(), r.lrStep()), 0);
        }
        return new KpgSession(state, q, r, prop, m);
    }

    private record KpgSession(TrainState state, SemiImplicitGaussian q, Simi.Recipe recipe, Proposal proposal, int m) implements Session {

        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            int n = recipe.batch();
            double lam = recipe.scoreScale(iteration);
            Params.Bound p = state.params().bind(name -> name.startsWith("q."));
            Family.Draw a = q.sample(p, rng, n);
            // c_n = −ξ_n/σ − λ s_p(x_n) of the grad batch: only for the reported KSD estimate
            Tensor c = GradMode.noGrad(() -> scoreGap(t, a.x().value(), a.xi().value(), a.sigma().value(), lam));
            Tensor v;
            double ksdScale;
            if (proposal == null) {
                v = GradMode.noGrad(() -> {
                    Family.Draw b = q.sample(state.params().bind(), rng, n);
                    Var cb = constant(scoreGap(t, b.x().value(), b.xi().value(), b.sigma().value(), lam));
                    Var dist = sqDist(a.x().detach(), b.x());
                    Var h = sqrt(scale(median(dist), 0.5 / Math.log(n + 1)));
                    return matmul(kernelFromSqDist(StationaryKernel.RBF, dist, h), cb).value();
                });
                ksdScale = 1.0 / n;
            } else {
                fitProposal(a, iteration);
                v = GradMode.noGrad(() -> importanceWeightedField(t, a, rng, lam));
                ksdScale = 1;
            }
            Var loss = scale(sum(mul(constant(v), a.x())), 1.0 / n);
            recipe.applyFamily(state, p.gradients(loss), iteration);
            double ksd = GradMode.noGrad(() -> sum(mul(constant(c), constant(v))).item()) * ksdScale / n;
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("surrogate", loss.item());
            return new StepInfo(ksd, extras);
        }

        /** One Adam step of the proposal on −(1/N) Σ log r(z_n | x_n), z and x detached. */
        private void fitProposal(Family.Draw a, int iteration) {
            Params.Bound pr = state.bind("proposal");
            Var nll = neg(mean(proposal.logDensity(pr, a.x().detach(), a.z())));
            state.apply("proposal", pr.gradients(nll), iteration);
        }

        /** V_n = (1/M) Σ_m w_nm c'_nm, all detached; see the class comment. */
        private Tensor importanceWeightedField(Target t, Family.Draw a, Rng rng, double lam) {
            int n = a.x().dim(0), d = a.x().dim(1), dz = q.mixingDim();
            DType dt = a.x().dtype();
            Params.Bound p = state.params().bind();
            Proposal.Heads hd = proposal.heads(p, a.x().detach());
            double[] alpha = hd.alpha().value().toDoubleArray(), mu = hd.mean().value().toDoubleArray(), sd = hd.scale().value().toDoubleArray();
            Var sigma = q.sigma(p);
            // shared prior draws: M (z, ξ) pairs, one μ_φ evaluation each
            Tensor zu = rng.normal(dt, m, dz), xiu = rng.normal(dt, m, d);
            Var xu = add(q.mean(p, constant(zu)), mul(sigma, constant(xiu)));
            double[] cu = scoreGap(t, xu.value(), xiu, sigma.value(), lam).toDoubleArray();
            double[] xuv = xu.value().toDoubleArray(), zuv = zu.toDoubleArray();
            // per (n, m): prior component with probability α(x_n), else the Gaussian head
            boolean[] prior = new boolean[n * m];
            int own = 0;
            for (int i = 0; i < n * m; i++) { prior[i] = rng.nextDouble() < alpha[i / m]; if (!prior[i]) own++; }
            double[] zo = new double[own * dz];
            double[] eps = rng.normal(DType.F64, Math.max(own, 1), dz).toDoubleArray();
            for (int i = 0, k = 0; i < n * m; i++) {
                if (prior[i]) continue;
                int r = i / m;
                for (int j = 0; j < dz; j++) zo[k * dz + j] = mu[r * dz + j] + sd[r * dz + j] * eps[k * dz + j];
                k++;
            }
            double[] xo = new double[0], co = new double[0];
            if (own > 0) {
                Tensor xio = rng.normal(dt, own, d);
                Var xov = add(q.mean(p, constant(Tensor.of(dt, zo, own, dz))), mul(sigma, constant(xio)));
                xo = xov.value().toDoubleArray();
                co = scoreGap(t, xov.value(), xio, sigma.value(), lam).toDoubleArray();
            }
            // log w without the kernel term, and the distances D_nm
            double[] xv = a.x().value().toDoubleArray();
            double[] logw = new double[n * m], dist = new double[n * m];
            double[] z = new double[dz];
            for (int i = 0, k = 0; i < n * m; i++) {
                int r = i / m, c = i % m;
                double[] xs = prior[i] ? xuv : xo;
                int off = prior[i] ? c * d : k * d;
                double[] zs = prior[i] ? zuv : zo;
                int zoff = prior[i] ? c * dz : k * dz;
                if (!prior[i]) k++;
                double s2 = 0;
                for (int j = 0; j < d; j++) { double e = xv[r * d + j] - xs[off + j]; s2 += e * e; }
                dist[i] = s2;
                System.arraycopy(zs, zoff, z, 0, dz);
                logw[i] = Proposal.logStdNormal(z) - Proposal.logMixture(z, alpha[r], mu, sd, r * dz);
            }
            double med = median(constant(Tensor.of(dt, dist, n, m))).item();
            double inv2h2 = Math.log(m + 1) / med;                 // 1/(2h²) with h² = ½·med/log(M+1)
            double[] v = new double[n * d];
            for (int i = 0, k = 0; i < n * m; i++) {
                int r = i / m, c = i % m;
                double w = Math.exp(logw[i] - dist[i] * inv2h2) / m;
                double[] cs = prior[i] ? cu : co;
                int off = prior[i] ? c * d : k * d;
                if (!prior[i]) k++;
                for (int j = 0; j < d; j++) v[r * d + j] += w * cs[off + j];
            }
            return Tensor.of(dt, v, n, d);
        }

        @Override public Tensor sample(Rng rng, int n) { return q.sampleValues(state.evaluationParams(), rng, n); }

        @Override public java.util.Optional<sivi.fit.DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(SemiImplicitBound.withMixingProposal(q, state.evaluationParams(), rng, n, SemiImplicitBound.K));
        }
    }

    /** c = ∇log q(x|z) − λ s_p(x) = −ξ/σ − λ s_p(x), a constant (N×d). */
    static Tensor scoreGap(Target t, Tensor x, Tensor xi, Tensor sigma, double lam) {
        Var sp = constant(t.scoreValue(x));
        return sub(neg(div(constant(xi), constant(sigma))), lam == 1 ? sp : scale(sp, lam)).value();
    }

    /**
     * The proposal r_η(z | x) = α·N(0, I) + (1 − α)·N(m, diag s²) of KPG-IS
     * ([code] NormalProposalDistribution, docs/algorithms.md#kpg-is). Parameters "r.trunk{i}", "r.m", "r.s", "r.a".
     */
    record Proposal(List<Linear> trunk, Linear meanHead, Linear scaleHead, Linear alphaHead, double alphaInf, double alphaSup) {
        private static final double LOG_2PI = Math.log(2 * Math.PI);

        record Heads(Var mean, Var scale, Var alpha) {}

        static Proposal create(Params params, int d, int dz, int h, double aInf, double aSup, Rng rng, DType dt) {
            List<Linear> trunk = List.of(
                    Linear.create(params, "r.trunk0", d, h, Activation.RELU, rng, dt),
                    Linear.create(params, "r.trunk1", h, h, Activation.RELU, rng, dt),
                    Linear.create(params, "r.trunk2", h, h, Activation.RELU, rng, dt));
            return new Proposal(trunk, Linear.create(params, "r.m", h, dz, Activation.IDENTITY, rng, dt),
                    Linear.create(params, "r.s", h, dz, Activation.SOFTPLUS, rng, dt),
                    Linear.create(params, "r.a", h, 1, Activation.SIGMOID, rng, dt), aInf, aSup);
        }

        Heads heads(Params.Bound p, Var x) {
            Var hid = x;
            for (Linear l : trunk) hid = l.forward(p, hid);
            Var alpha = affine(alphaHead.forward(p, hid), alphaSup - alphaInf, alphaInf);   // N×1
            return new Heads(meanHead.forward(p, hid), scaleHead.forward(p, hid), alpha);
        }

        /** log r(z_n | x_n) for each row (N), differentiable in η; log-sum-exp of the two components. */
        Var logDensity(Params.Bound p, Var x, Var z) {
            Heads hd = heads(p, x);
            int dz = z.dim(1);
            Var logPrior = addScalar(scale(sum(square(z), 1, true), -0.5), -0.5 * dz * LOG_2PI);      // N×1
            Var u = div(sub(z, hd.mean()), hd.scale());
            Var logGauss = sub(addScalar(scale(sum(square(u), 1, true), -0.5), -0.5 * dz * LOG_2PI), sum(log(hd.scale()), 1, true));
            Var a = add(log(hd.alpha()), logPrior);
            Var b = add(log(affine(hd.alpha(), -1, 1)), logGauss);
            return logSumExp(concat(1, a, b), 1, false);
        }

        static double logStdNormal(double[] z) {
            double s = 0;
            for (double v : z) s += v * v;
            return -0.5 * s - 0.5 * z.length * LOG_2PI;
        }

        /** log r(z | x_n) from the head values of row n (mean/scale arrays at offset off). */
        static double logMixture(double[] z, double alpha, double[] mean, double[] scale, int off) {
            double lg = -0.5 * z.length * LOG_2PI;
            for (int j = 0; j < z.length; j++) {
                double u = (z[j] - mean[off + j]) / scale[off + j];
                lg += -0.5 * u * u - Math.log(scale[off + j]);
            }
            double a = Math.log(alpha) + logStdNormal(z), b = Math.log1p(-alpha) + lg;
            double mx = Math.max(a, b);
            if (mx == Double.NEGATIVE_INFINITY) return mx;
            return mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx));
        }
    }
}
