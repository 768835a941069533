package sivi.methods;

import org.junit.jupiter.api.Test;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.targets.BnnRegression;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The recipe options the reference BNN and LR scripts use beyond the 2-D toys (Simi.Recipe: adam_beta2, ema, clip,
 * pretrain; KSIVI reg_logp; SIVI-SM f_init and the critic's StepLR): each reaches the computation it names. Their defaults leave every
 * other preset's arithmetic as it was (checked by scripts/bit-identity.sh, not here).
 */
class RecipeOptionsTest {
    private static final Options SMALL = Options.of("batch", "16", "zdim", "3", "hidden", "8");

    private static Session ksivi(Target t, Options extra, long seed) {
        return new Ksivi().init(t, SMALL.with(extra), DType.F64, new Rng(seed));
    }

    private static double maxAbsDiff(Params a, Params b) {
        double m = 0;
        for (String k : a.names()) {
            double[] x = a.get(k).toDoubleArray(), y = b.get(k).toDoubleArray();
            for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    @Test void warmStartFitsTheDevRowsBeforeTraining() {
        BnnRegression t = BnnRegression.builtIn("bnn-boston");
        for (String rows : new String[] {"dev", "train"}) {
            Session cold = ksivi(t, Options.of("logvar_init", "-8"), 2);
            Session warm = ksivi(t, Options.of("logvar_init", "-8", "pretrain", "60", "pretrain_rows", rows), 2);
            double before = devError(t, cold), after = devError(t, warm);
            // the fresh network predicts about mean_y everywhere: the error starts near var(y) ≈ 80 (in y units²)
            assertTrue(before > 40, rows + ": dev error before " + before);
            assertTrue(after < 0.5 * before, rows + ": dev error " + before + " -> " + after);
        }
    }

    private static double devError(BnnRegression t, Session s) {
        Tensor x = s.sample(new Rng(9), 100);
        return GradMode.noGrad(() -> t.warmStartLoss(Var.constant(x), false, 0).item());
    }

    @Test void pretrainNeedsATargetWithAWarmStartLoss() {
        var e = assertThrows(IllegalArgumentException.class, () -> ksivi(Targets.banana(), Options.of("pretrain", "5"), 1));
        assertTrue(e.getMessage().contains("no warm-start loss"), e.getMessage());
    }

    @Test void clipScalesTheFamilyGradientDown() {
        // Adam is invariant to a constant gradient scale, but not once the clipped gradient is near its eps (1e-8):
        // clipping at 1e-12 must all but freeze the parameters while the unclipped run moves them
        Target t = Targets.banana();
        double moved = movedAfter(t, Options.of()), clipped = movedAfter(t, Options.of("clip", "1e-12"));
        assertTrue(moved > 1e-3, "unclipped moved " + moved);
        assertTrue(clipped < 1e-3 * moved, "clipped moved " + clipped + " vs " + moved);
    }

    private static double movedAfter(Target t, Options extra) {
        Session s = ksivi(t, extra, 4);
        Params start = s.state().params().copy();
        for (int it = 0; it < 5; it++) s.step(t, it, new Rng(100 + it));
        return maxAbsDiff(start, s.state().params());
    }

    @Test void emaGivesTheDrawsFromTheAveragedParameters() {
        // through the Trainer, which updates the average after each step: θ̄ copies θ after the first step, then
        // moves by 0.1 % of the gap per step, so after 20 steps the draws are those of the 1-step parameters up to
        // a few % of how far the parameters themselves moved (the draws' stream is the same in all three fits)
        Target t = Targets.banana();
        Tensor e = fit(t, 20, "0.999"), p = fit(t, 20, "0"), o = fit(t, 1, "0");
        double toOne = maxAbsDiff(e, o), moved = maxAbsDiff(p, o);
        assertTrue(moved > 1e-3, "the parameters moved " + moved);
        assertTrue(toOne < 0.05 * moved, "EMA draws " + toOne + " from the 1-step draws, plain " + moved);
    }

    private static Tensor fit(Target t, int iterations, String ema) {
        return sivi.fit.Sivi.method("ksivi").set("batch", 16).set("hidden", 8).set("ema", ema).iterations(iterations).seed(5).draws(50)
                .progress(sivi.fit.Progress.SILENT).fit(t).samples();
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    @Test void regLogpSubtractsTheMeanLogDensityOfTheFirstBatch() {
        // the step's first batch is the first n draws from the step's stream, the same ones sample() makes from it
        Target t = Targets.banana();
        Session plain = ksivi(t, Options.of(), 6), reg = ksivi(t, Options.of("reg_logp", "true"), 6);
        Tensor xa = plain.sample(new Rng(77), 16);
        double meanLogp = 0;
        double[] lp = GradMode.noGrad(() -> t.logDensity(Var.constant(xa)).value()).toDoubleArray();
        for (double v : lp) meanLogp += v / lp.length;
        double a = plain.step(t, 0, new Rng(77)).objective(), b = reg.step(t, 0, new Rng(77)).objective();
        assertEquals(-meanLogp, b - a, 1e-9 * (1 + Math.abs(meanLogp)));
    }

    @Test void adamBeta2ReachesTheFamilysOptimiser() {
        Target t = Targets.banana();
        Session a = ksivi(t, Options.of(), 8), b = ksivi(t, Options.of("adam_beta2", "0.999"), 8);
        for (int it = 0; it < 3; it++) { a.step(t, it, new Rng(300 + it)); b.step(t, it, new Rng(300 + it)); }
        assertTrue(maxAbsDiff(a.state().params(), b.state().params()) > 0, "β₂ 0.99 and 0.999 gave the same parameters");
        assertThrows(IllegalArgumentException.class, () -> ksivi(t, Options.of("adam_beta2", "1"), 8));
    }

    @Test void criticWarmStartLowersTheFirstCriticLoss() {
        // the critic minimises −E[gᵀ(2(s_p + ξ/σ) − g)], whose minimum is −E|s_p − ∇log q|²; 200 warm-start steps
        // must leave it well below a fresh critic's on the first iteration's batch
        Target t = Targets.banana();
        Options o = Options.of("batch", "64", "zdim", "3", "hidden", "8", "f_hidden", "16");
        double cold = new SiviSm().init(t, o, DType.F64, new Rng(9)).step(t, 0, new Rng(400)).extras().get("critic_loss");
        double warm = new SiviSm().init(t, o.with("f_init", "200"), DType.F64, new Rng(9)).step(t, 0, new Rng(400)).extras().get("critic_loss");
        assertTrue(warm < cold - 0.1 * Math.abs(cold), "critic loss cold " + cold + ", warm " + warm);
    }

    @Test void theCriticsStepLrCountsCriticUpdates() {
        // lr_gamma 0 zeroes a rate after its first period. With lr_step_f = 1 only the critic's first update moves it,
        // so one iteration with two critic updates leaves the critic where one iteration with one update does: the
        // φ-step and the first critic batch draw the same numbers. A schedule read at the iteration (the old one) moves
        // it twice. The family's period (1000) is not reached, so both runs' families move alike.
        Target t = Targets.banana();
        Options o = SMALL.with(Options.of("f_hidden", "8", "lr_gamma", "0", "lr_step", "1000"));
        Params start = critic(new SiviSm().init(t, o, DType.F64, new Rng(3)));
        Params one = criticAfterOneIteration(t, o.with("ftimes", "1").with("lr_step_f", "1"));
        Params two = criticAfterOneIteration(t, o.with("ftimes", "2").with("lr_step_f", "1"));
        Params twoByIteration = criticAfterOneIteration(t, o.with("ftimes", "2"));   // period 1000 updates: both move it
        assertTrue(maxAbsDiff(start, one) > 1e-4, "the first critic update moved it by " + maxAbsDiff(start, one));
        assertEquals(0.0, maxAbsDiff(one, two), "a second update at a zero rate must not move the critic");
        assertTrue(maxAbsDiff(one, twoByIteration) > 1e-6, "two updates at the full rate: " + maxAbsDiff(one, twoByIteration));
    }

    private static Params criticAfterOneIteration(Target t, Options o) {
        Session s = new SiviSm().init(t, o, DType.F64, new Rng(3));
        s.step(t, 0, new Rng(60));
        return critic(s);
    }

    private static Params critic(Session s) { return s.state().params().select("f."); }
}
