package sivi.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.kernels.Rng;
import sivi.optim.Adam;
import sivi.targets.Target;
import sivi.targets.Targets;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/** The plateau rule's false-stop and missed-stop rates, and its behaviour inside the one Trainer (stop, resume). */
class StopRuleTest {
    static final int W = 200;

    /** Two windows of iid N(mean_i, 1) objectives, the mean falling linearly by {@code drop} per window. */
    static double[] windows(Rng rng, double drop) {
        double[] x = new double[2 * W];
        for (int i = 0; i < x.length; i++) x[i] = -drop * i / W + rng.nextGaussian();
        return x;
    }

    /**
     * With a flat objective the decrease over se is about N(0, 1) (batch means over 10 batches, MSSD variance:
     * a t-like statistic), so the rule stops with probability Φ(z). 2000 trials: binomial SE ≈ 0.01 at p = 0.5;
     * the bounds allow 4 SE plus the gap between the normal and the heavier-tailed statistic.
     */
    @Test void flatObjectiveStopsWithProbabilityPhiOfZ() {
        for (double z : new double[] {0, 1}) {
            StopRule rule = StopRule.plateau(W, z);
            Rng rng = Rng.of(11, (long) z);
            int stops = 0, n = 2000;
            for (int t = 0; t < n; t++) if (rule.test(windows(rng, 0)).isPresent()) stops++;
            double p = stops / (double) n, want = z == 0 ? 0.5 : 0.8413;
            assertEquals(want, p, 4 * Math.sqrt(want * (1 - want) / n) + (z == 0 ? 0 : 0.03), "z=" + z);
        }
    }

    /**
     * A decrease of 8 standard errors per window (se of the difference of two window means of 200 iid N(0,1):
     * sqrt(2/200) = 0.1, so drop 0.8): the rule (z = 1) stops only when the statistic falls 7 SE below its
     * mean, which a 2000-trial run should never see (the MSSD estimate is inflated by the trend only by drop²/(2·B²)).
     */
    @Test void clearlyDecreasingObjectiveDoesNotStop() {
        StopRule rule = StopRule.plateau(W, 1);
        Rng rng = Rng.of(12, 0);
        for (int t = 0; t < 2000; t++) assertTrue(rule.test(windows(rng, 0.8)).isEmpty());
    }

    @Test void rejectsWindowsThatDoNotSplitIntoBatches() {
        assertThrows(IllegalArgumentException.class, () -> StopRule.plateau(15, 1));
        assertThrows(IllegalArgumentException.class, () -> StopRule.plateau(0, 1));
        assertThrows(IllegalArgumentException.class, () -> StopRule.plateau(100, Double.NaN));
    }

    @Test void nonFiniteObjectivesGiveNoVerdict() {
        double[] x = windows(Rng.of(1, 1), 0);
        x[3] = Double.NaN;
        assertTrue(StopRule.plateau(W, 1).test(x).isEmpty());
    }

    /** A method with no parameters to train whose objective decays as exp(-t/300) plus N(0, 0.01²) noise from the iteration's rng. */
    static final class Decay implements Method {
        public String name() { return "decay-test"; }
        public Session init(Target target, Options options, DType dtype, Rng rng) {
            TrainState s = new TrainState();
            s.params().put("q.w", Tensor.of(new double[] {0}, 1));
            s.addGroup("q", List.of("q."), Adam.reference(), it -> 0.1, 0);
            return new Session() {
                public TrainState state() { return s; }
                public StepInfo step(Target t, int iteration, Rng r) { return StepInfo.of(Math.exp(-iteration / 300.0) + 0.01 * r.nextGaussian()); }
                public Tensor sample(Rng r, int n) { return Tensor.of(new double[n], n, 1); }
            };
        }
    }

    static Fit run(int iterations, StopRule rule, Path checkpoint, boolean resume) {
        FitConfig cfg = FitConfig.defaults(iterations).withBackend("scalar", 1).withDraws(1).withStop(rule).withCheckpoint(checkpoint, 100, resume);
        return Trainer.fit(new Decay(), Targets.banana(), Options.empty(), cfg, Progress.SILENT);
    }

    @Test void trainerStopsOnPlateauAndResumesToTheSameStop(@TempDir Path dir) throws Exception {
        StopRule rule = StopRule.plateau(W, 1);
        Fit whole = run(100_000, rule, dir.resolve("a.bin"), false);
        assertTrue(whole.stoppedEarly(), "the objective flattens after ~2000 iterations");
        assertTrue(whole.stopReason().startsWith("objective plateau"), whole.stopReason());
        assertEquals(0, whole.endIteration() % W);
        assertEquals(whole.endIteration(), whole.trace().size());
        assertEquals(whole.endIteration(), Integer.parseInt(TensorFile.read(dir.resolve("a.bin")).meta().get("iteration")));

        // interrupted at 3W + 100 (the stop rule's look-back travels in the checkpoint), then resumed with the same budget
        run(3 * W + 100, rule, dir.resolve("b.bin"), false);
        Fit resumed = run(100_000, rule, dir.resolve("b.bin"), true);
        assertEquals(whole.endIteration(), resumed.endIteration());
        assertEquals(whole.stopReason(), resumed.stopReason());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.bin")), Files.readAllBytes(dir.resolve("b.bin")));

        // resuming a run that stopped, with the rule still on, runs nothing; with the rule off it runs to the budget
        Fit again = run(100_000, rule, dir.resolve("b.bin"), true);
        assertEquals(0, again.trace().size());
        assertEquals(whole.stopReason(), again.stopReason());
        Fit on = run(whole.endIteration() + 50, StopRule.NONE, dir.resolve("b.bin"), true);
        assertEquals(whole.endIteration() + 50, on.endIteration());
        assertEquals("iteration budget reached", on.stopReason());
    }

    @Test void withoutAStopRuleTheWholeBudgetRuns(@TempDir Path dir) {
        Fit f = run(3000, StopRule.NONE, dir.resolve("c.bin"), false);
        assertEquals(3000, f.endIteration());
        assertFalse(f.stoppedEarly());
    }
}
