package sivi.methods;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sivi.methods.Recovery.Case;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.methods.Recovery.EXACT;
import static sivi.methods.Recovery.MEAN_FIELD;

/**
 * Every method recovers the 2-D Gaussian {@link Recovery#TARGET} within tolerances derived from its
 * error over seeds, and a 10 % variance collapse of the same draws fails (see {@link Recovery}).
 *
 * <p>The sd column of each case is the root-mean-square error of each moment about the optimum over
 * seeds 1–8 (so a systematic bias counts in full), measured by {@link RecoverySweepTest} with the
 * same options and draw count; the check is 4 × that (never below the i.i.d. Monte Carlo error).
 * All 8 seeds pass and all 8 collapsed copies fail (the sweep asserts both). The fast tier runs
 * seeds 1 and 2. The learning rates halve every quarter to sixth of the run so that the final Adam
 * jitter (∝ lr) is small against the Monte Carlo error of 40 000 draws (sd 0.7 % on a variance).
 */
class MethodRecoveryTest {
    static final double[] TBD = {0, 0, 0, 0, 0};

    /**
     * SVGD's known finite-particle variance underestimation (Ba et al. 2021, ICLR, "Understanding the
     * variance collapse of SVGD in high dimensions"): measured on this target over 8 seeds, −4.3 %
     * (n = 200 particles), −2.5 % (400), −1.2 % (800) on every variance and the covariance, i.e. ∝ 1/n.
     * The optimum for n = 200 is the target's covariance scaled by 1 − 0.043. The particles are not
     * i.i.d. draws: their across-seed error (rms 0.003) is the yardstick, with no i.i.d. floor.
     */
    static final double SVGD_200_BIAS = 0.043;
    static final double[] SVGD_200 = {1.0, -0.5, 1.0 * (1 - SVGD_200_BIAS), 0.8 * (1 - SVGD_200_BIAS), 0.5 * (1 - SVGD_200_BIAS)};

    static final List<Case> CASES = List.of(
            // ADVI: the KL-optimal mean-field Gaussian (means exact, variances 1/Λ_ii); bias over 8 seeds ≤ 0.003
            new Case("advi", "advi", "batch=100,lr=1e-2,lr_gamma=0.5,lr_step=500", 3000, 40000, true, MEAN_FIELD,
                    new double[] {0.0063, 0.0048, 0.0084, 0.0067, 0.0044}),
            new Case("fullrank", "fullrank", "batch=100,lr=1e-2,lr_gamma=0.5,lr_step=500", 3000, 40000, true, EXACT,
                    new double[] {0.0077, 0.0056, 0.0104, 0.0078, 0.0107}),
            // SIVI: the finite-K surrogate is biased narrower (Yin & Zhou 2018 §3): −2.4 % on the variances at K = 50
            // (too close to a collapse to tell apart), −1.0 % at K = 200, used here
            new Case("sivi", "sivi", "batch=64,k=200,zdim=2,hidden=16;16,logvar_init=-2,lr=1e-2,lr_gamma=0.5,lr_step=500", 3000, 40000, true, EXACT,
                    new double[] {0.0131, 0.0178, 0.0193, 0.0180, 0.0210}),
            new Case("iwhvi", "iwhvi", "batch=64,k=5,zdim=2,hidden=16;16,tau_hidden=16,lr=1e-2,lr_gamma=0.5,lr_step=800", 4000, 40000, true, EXACT,
                    new double[] {0.0198, 0.0206, 0.0160, 0.0116, 0.0102}),
            new Case("svgd", "svgd", "particles=200,lr=0.05,lr_gamma=0.5,lr_step=500", 1500, 200, false, SVGD_200,
                    new double[] {0.0035, 0.0036, 0.0029, 0.0026, 0.0031}),
            new Case("ksivi", "ksivi", "batch=100,zdim=3,hidden=32,lr=5e-3,lr_step=400,lr_gamma=0.5,logvar_init=0", 2000, 40000, true, EXACT,
                    new double[] {0.0073, 0.0096, 0.0189, 0.0156, 0.0184}),
            new Case("ksivi-u", "ksivi", "estimator=u,batch=100,zdim=3,hidden=32,lr=5e-3,lr_step=400,lr_gamma=0.5,logvar_init=0", 2000, 40000, true, EXACT,
                    new double[] {0.0203, 0.0157, 0.0190, 0.0134, 0.0145}),
            new Case("ksivi-laplace", "ksivi", "kernel=laplace,batch=100,zdim=3,hidden=32,lr=5e-3,lr_step=800,lr_gamma=0.5,logvar_init=0", 4000, 40000, true, EXACT,
                    new double[] {0.0242, 0.0186, 0.0258, 0.0150, 0.0177}),
            new Case("ksivi-ml", "ksivi-ml", "layers=2,batch=100,zdim=3,hidden=32,lr=5e-3,lr_step=400,lr_gamma=0.5,logvar_init=0", 2000, 40000, true, EXACT,
                    new double[] {0.0152, 0.0114, 0.0207, 0.0089, 0.0126}),
            // KPG: at 4000 iterations the variances were still −3.4 % (not converged: 3/8 collapses caught); 8000: −1.4 %
            new Case("kpg", "kpg", "lr=1e-3,batch=100,zdim=3,hidden=32,lr_step=2000,lr_gamma=0.5,logvar_init=0", 8000, 40000, true, EXACT,
                    new double[] {0.0175, 0.0165, 0.0239, 0.0152, 0.0184}),
            new Case("kpg-is", "kpg-is", "lr=3e-3,lr_gamma=0.5,lr_step=1000,num_proposals=16,batch=64,proposal_hidden=16,zdim=3,hidden=32,logvar_init=0", 4000, 40000, true, EXACT,
                    new double[] {0.0175, 0.0129, 0.0184, 0.0119, 0.0151}),
            // HSIVI-LB: linear layers represent every annealed Gaussian; the per-layer SIVI bound is biased narrower
            // at finite K as SIVI's: −3.7 % on a variance and −12 % on the covariance at K = 30, −2.1 % / −4 % at K = 100
            new Case("hsivi-lb", "hsivi", "objective=lb,layers=2,hidden=4,activation=identity,batch=100,log_sigma_init=-1,k=100,lr=5e-3,lr_step=500,lr_gamma=0.5", 2000, 40000, true, EXACT,
                    new double[] {0.0127, 0.0129, 0.0236, 0.0138, 0.0216}),
            // SIVI-SM: with one critic step per φ-step (the reference's ftimes = 1) the critic lags the family and the
            // across-seed error at this budget was 5–14 % on a variance and 0.08 on a mean (the means still converging:
            // seeds 1/2 ended at m₁ = 0.888/0.901), too large to tell a 10 % collapse apart. Five critic steps per φ-step
            // keep the critic near its optimum g* = s_p − s_q, so the φ-gradient is nearly the Fisher divergence's:
            // rms over seeds 1–6 (not 8: machine time) 0.032/0.034 on the means, 0.018/0.012/0.011 on v₁/v₂/c₁₂, which
            // includes a residual drift of the means (+0.03, −0.035 on average). A collapse fails on v₂ in every seed
            // (0.9·v̂₂ is 0.065–0.098 below 0.8 against a check of 0.046). lr_step_f = 5·lr_step: the critic's rate halves
            // every 1000 iterations as the family's, the schedule these spreads were measured with (docs/algorithms.md#sivi-sm).
            new Case("sivi-sm", "sivi-sm", "f_hidden=32,lr_f=5e-3,ftimes=5,lr_step_f=5000,lr=1e-3,batch=100,zdim=3,hidden=32,lr_step=1000,lr_gamma=0.5,logvar_init=0", 4000, 40000, true, EXACT,
                    new double[] {0.0319, 0.0342, 0.0177, 0.0116, 0.0111}),
            // HSIVI-SM: the critic's estimation noise leaves an across-seed error of 6–14 % on a variance at this budget,
            // so 4·sd is 25–55 %: derived but cannot tell a 10 % collapse apart (detectsCollapse = false); ftimes > 1
            // was not measured for it
            new Case("hsivi-sm", "hsivi", "objective=sm,layers=2,hidden=4,activation=identity,batch=100,log_sigma_init=-1,lr=3e-3,lr_f=5e-3,f_hidden=32,lr_step=2000,lr_gamma=0.5", 6000, 40000, true, EXACT,
                    new double[] {0.1297, 0.1175, 0.1396, 0.1026, 0.0659}, false));

    /**
     * Cases only the slow sweep runs (≥ 35 s a seed). UIVI (Titsias &amp; Ruiz 2019) needs reverse-conditional
     * draws decorrelated from the generating ε: with burn_in 2 × leapfrog 3 (the old test's setting) the
     * marginal-score estimate stays close to the conditional score and the fit is biased towards a narrow
     * conditional (measured over 8 seeds, 4000 iterations: variances −10 % and −8 %, covariance −29 %; with lr 3e-3 the HMC step
     * adapts down to 4e-5 and three seeds diverge in the mean). burn_in 10 × leapfrog 5 removes the bias
     * (≤ 0.5 %), but the error is still 2 % on a variance: one seed in 8 lets a 10 % collapse through.
     * The step does not collapse on its own: at lr 3e-3 (2 × 3, seed 3) the objective rises from 1.2 to 6–8 between
     * iterations 400 and 800 while h falls from 0.27 to 2e-3 at acceptance ≈ 0.9, i.e. the adaptation follows a reverse
     * conditional that has already become sharp. Restarting it at step_init every iteration (persist_step=false, as the
     * reference baseline) is no cure: h stays 0.051 at acceptance 1.0 and the fit is the mean-field optimum.
     */
    static final List<Case> SLOW_CASES = List.of(
            new Case("uivi", "uivi", "batch=32,chains=5,burn_in=10,leapfrog=5,zdim=2,hidden=16;16,lr=1e-2,lr_gamma=0.5,lr_step=500", 2000, 40000, true, EXACT,
                    new double[] {0.0278, 0.0261, 0.0183, 0.0197, 0.0147}, false));

    static Stream<Arguments> fastRuns() {
        return CASES.stream().flatMap(c -> Stream.of(Arguments.of(c, 1L), Arguments.of(c, 2L)));
    }

    @ParameterizedTest(name = "{0} seed {1}") @MethodSource("fastRuns")
    void recoversTheGaussianAndACollapseFails(Case c, long seed) {
        double[] x = c.fit(seed).samples().toDoubleArray();
        String fail = Recovery.failure(c, x);
        assertNull(fail, fail);
        if (c.detectsCollapse())
            assertNotNull(Recovery.failure(c, Recovery.collapsed(x)), c.name() + " seed " + seed + ": a 10 % variance collapse would pass");
    }
}
