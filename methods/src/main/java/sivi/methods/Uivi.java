package sivi.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.families.Gaussians;
import sivi.families.SemiImplicit;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.MethodDescriptor;
import sivi.fit.OptionSpec;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Unbiased implicit VI (Titsias &amp; Ruiz, AISTATS 2019, eqs. 5–8; docs/algorithms.md#uivi). The exact
 * ELBO's reparameterised gradient is E[(s_p(x) − ∇_x log q(x))ᵀ ∂x/∂φ]; the marginal score is
 * ∇_x log q(x) = E_{q(ε|x)}[∇_x log q(x | ε)], estimated by HMC on the reverse conditional
 * q(ε | x) ∝ q(x | ε) q(ε) initialised at the generating ε (an exact draw, so burn-in is short).
 * As in the IWHVI repository's UIVI baseline ({@code build_uivi_surrogate_loss}): L chains per x,
 * {@code burn_in} HMC steps with step-size adaptation towards acceptance {@code target_accept}
 * (×(1 + rate) when above, ÷(1 + rate) when below), then one retained sample per chain;
 * surrogate loss = −mean_n[log p(x_n) − ŝ_q(x_n)ᵀ x_n] with ŝ_q = (1/L) Σ_l ∇_x log q(x_n | ε'_l)
 * held constant, so the gradient flows only through x. The reported objective is
 * −mean_n[log p(x_n) − (1/L) Σ_l log q(x_n | ε'_l)].
 *
 * <p>The step is one scalar for all chains and, by default, carried over from iteration to iteration
 * (the parameter "uivi.hmc_step", in no optimiser group, so checkpoints keep it). {@code persist_step=false}
 * restarts every iteration's adaptation at {@code step_init}, as that baseline does (its
 * {@code SimpleStepSizeAdaptation} starts from the constant step at every training step): on the 2-D Gaussian of
 * the recovery tests the step then stays near 0.05 at acceptance 1.0, the chains barely leave their
 * generating ε, and the fit lands on the mean-field optimum (docs/algorithms.md#uivi). Options: batch (100),
 * chains (5), burn_in (5), leapfrog (5), step_init (0.05), target_accept (0.9), adapt_rate (0.01),
 * persist_step (true), lr (1e-3) with lr_gamma/lr_step/lr_period, and the family options (default family net_sigma).
 */
public final class Uivi implements Method {
    static final String STEP = "uivi.hmc_step";

    @Override public String name() { return "uivi"; }

    public static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("uivi",
            "unbiased implicit VI (Titsias & Ruiz 2019): marginal score by HMC on the reverse conditional", options(), Uivi::new);

    private static List<OptionSpec> options() {
        return Estimators.concat(List.of(
                OptionSpec.integer("batch", 100, "draws per iteration").min(1),
                OptionSpec.integer("chains", 5, "HMC chains per draw").min(1),
                OptionSpec.integer("burn_in", 5, "HMC burn-in steps").min(0),
                OptionSpec.integer("leapfrog", 5, "leapfrog steps per HMC step").min(1),
                OptionSpec.real("step_init", 0.05, "initial leapfrog step size").positive(),
                OptionSpec.real("target_accept", 0.9, "acceptance rate the step size adapts to"),
                OptionSpec.real("adapt_rate", 0.01, "step-size adaptation rate"),
                OptionSpec.bool("persist_step", true, "start each iteration's adaptation at the previous iteration's step (false: at step_init, as the reference)")),
                Estimators.familyOptions("net_sigma", "simi", "net_sigma"),
                List.of(Estimators.lr("lr", 1e-3, "Adam learning rate")),
                Estimators.SCHEDULE);
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int batch = o.getInt("batch", 100), chains = o.getInt("chains", 5), burnIn = o.getInt("burn_in", 5), leapfrog = o.getInt("leapfrog", 5);
        double step0 = o.getDouble("step_init", 0.05), accept = o.getDouble("target_accept", 0.9), rate = o.getDouble("adapt_rate", 0.01);
        boolean persist = o.getBool("persist_step", true);
        if (batch < 1 || chains < 1 || burnIn < 0 || leapfrog < 1 || step0 <= 0)
            throw new IllegalArgumentException("uivi: need batch, chains, leapfrog >= 1, burn_in >= 0, step_init > 0");
        TrainState state = new TrainState();
        SemiImplicit q = Estimators.semiImplicit(o, state.params(), target.dim(), rng, dtype, "net_sigma");
        state.addGroup("q", List.of("q."), Adam.reference(), Estimators.schedule(o, "lr", 1e-3), 0);
        state.params().add(STEP, Tensor.of(new double[] {step0}, 1));
        return new UiviSession(state, q, batch, chains, burnIn, leapfrog, step0, accept, rate, persist);
    }

    private record UiviSession(TrainState state, SemiImplicit q, int batch, int chains, int burnIn, int leapfrog,
                               double step0, double accept, double rate, boolean persist) implements Session {
        @Override public StepInfo step(Target t, int iteration, Rng rng) {
            Params.Bound p = state.params().bind(name -> name.startsWith("q."));
            var d = q.sample(p, rng, batch);
            Params.Bound frozen = state.params().bind(name -> false);
            Var xr = constant(Gaussians.repeatRows(d.x().detach(), chains).value());
            Tensor eps = Gaussians.repeatRows(d.z(), chains).value();
            double h = persist ? state.params().get(STEP).item() : step0;
            double accSum = 0;
            for (int s = 0; s <= burnIn; s++) {
                Tensor[] r = hmcStep(frozen, xr, eps, h, rng);
                eps = r[0];
                double acc = r[1].item();
                if (s < burnIn) { h = acc > accept ? h * (1 + rate) : h / (1 + rate); accSum += acc; }
            }
            state.params().put(STEP, Tensor.of(new double[] {h}, 1));
            // ŝ_q(x_n) = (1/L) Σ_l −(x_n − μ(ε'))/σ(ε')² and (1/L) Σ_l log q(x_n | ε'), both constants
            final Tensor epsFinal = eps;
            Tensor[] sq = GradMode.noGrad(() -> {
                SemiImplicit.Conditional c = q.conditional(frozen, constant(epsFinal));
                Var score = neg(div(sub(xr, c.mu()), square(c.sigma())));
                Var logq = Gaussians.diagLogPdf(xr, c.mu(), c.logSigma());
                return new Tensor[] {mean(reshape(score, chains, batch, q.dim()), 0, false).value(), mean(reshape(logq, chains, batch), 0, false).value()};
            });
            Var logp = Estimators.logP(t, d.x());
            Var surrogate = neg(mean(sub(logp, sum(mul(constant(sq[0]), d.x()), 1, false))));
            state.apply("q", p.gradients(surrogate), iteration);
            double objective = -mean(sub(logp, constant(sq[1]))).item();
            Map<String, Double> extras = new LinkedHashMap<>();
            extras.put("hmc_step", h);
            if (burnIn > 0) extras.put("accept", accSum / burnIn);
            return new StepInfo(objective, extras);
        }

        /** U(ε) = −log q(x | ε) − log q(ε) per chain; returns (value n, gradient n×dz). */
        private Tensor[] potential(Params.Bound frozen, Var x, Tensor eps) {
            Var e = Var.leaf(eps);
            Var u = neg(add(q.conditionalLogDensity(frozen, x, e), q.mixingLogDensity(e)));
            return new Tensor[] {u.value(), Autodiff.grad(sum(u), new Var[] {e}, null, false)[0].value()};
        }

        /** One HMC transition per chain (leapfrog steps of size h, Metropolis in log space). Returns {ε', mean acceptance}. */
        private Tensor[] hmcStep(Params.Bound frozen, Var x, Tensor eps0, double h, Rng rng) {
            int rows = eps0.dim(0), dz = eps0.dim(1);
            double[] e = eps0.toDoubleArray();
            double[] mom = new double[e.length];
            rng.fillGaussian(mom, 0, mom.length);
            double[] h0 = new double[rows];
            Tensor[] ug = potential(frozen, x, eps0);
            double[] u0 = ug[0].toDoubleArray();
            for (int r = 0; r < rows; r++) { double k = 0; for (int j = 0; j < dz; j++) k += mom[r * dz + j] * mom[r * dz + j]; h0[r] = u0[r] + 0.5 * k; }
            double[] g = ug[1].toDoubleArray();
            double[] e1 = e.clone(), m1 = mom.clone();
            for (int l = 0; l < leapfrog; l++) {
                for (int i = 0; i < e1.length; i++) m1[i] -= 0.5 * h * g[i];
                for (int i = 0; i < e1.length; i++) e1[i] += h * m1[i];
                ug = potential(frozen, x, Tensor.of(eps0.dtype(), e1, rows, dz));
                g = ug[1].toDoubleArray();
                for (int i = 0; i < e1.length; i++) m1[i] -= 0.5 * h * g[i];
            }
            double[] u1 = ug[0].toDoubleArray();
            double accSum = 0;
            for (int r = 0; r < rows; r++) {
                double k = 0;
                for (int j = 0; j < dz; j++) k += m1[r * dz + j] * m1[r * dz + j];
                double logA = h0[r] - (u1[r] + 0.5 * k);          // log acceptance ratio, in log space
                double a = Double.isNaN(logA) ? 0 : Math.min(1, Math.exp(logA));
                accSum += a;
                if (rng.nextDouble() < a) System.arraycopy(e1, r * dz, e, r * dz, dz);
            }
            return new Tensor[] {Tensor.of(eps0.dtype(), e, rows, dz), Tensor.of(new double[] {accSum / rows}, 1)};
        }

        @Override public Tensor sample(Rng rng, int n) {
            Params ev = state.evaluationParams();
            return q.sampleValues(ev, rng, n);
        }

        @Override public java.util.Optional<sivi.fit.DensitySession.Draws> sampleWithLogDensityBound(Rng rng, int n) {
            return java.util.Optional.of(SemiImplicitBound.withMixingProposal(q, state.evaluationParams(), rng, n, SemiImplicitBound.K));
        }
    }
}
