package sivi.methods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sivi.fit.Fit;
import sivi.fit.FitConfig;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Registry;
import sivi.fit.Session;
import sivi.fit.Trainer;
import sivi.kernels.Rng;
import sivi.targets.Banana;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resuming from a mid-run checkpoint continues bit for bit (Trainer: iteration i draws from
 * Rng.of(seed, i + 1)), for every method, in particular those with more than one parameter group
 * or extra state: the SIVI-SM critic, HSIVI's layers and critics (and its layer-wise schedule across
 * a layer switch), the KPG-IS proposal, the IWHVI reverse model τ, UIVI's adapted HMC step, SVGD's
 * AdaGrad state, the EMA of the parameters. Run A goes to T with a checkpoint every T/2 (the file at
 * T/2 is copied aside while A continues); run B resumes from that copy to T. Everything a checkpoint
 * holds (parameters, optimiser state, EMA), the second half of the trace and the final draws must
 * be equal, not close.
 */
class ResumeBitIdentityTest {
    static final int T = 6;

    /** Runs to T with a checkpoint every T/2; returns the fit, with the T/2 checkpoint copied to {@code mid}. */
    static Fit runWithMidCheckpoint(Method method, Target target, Options o, DType dt, Path dir, Path mid) {
        Path ckpt = dir.resolve("a.ckpt");
        Progress copyAtHalf = (it, total, obj, el) -> {
            // called after step it (1-based); the checkpoint of iteration T/2 is on disk until T is written
            if (it == T / 2 + 1) {
                try { Files.copy(ckpt, mid, StandardCopyOption.REPLACE_EXISTING); } catch (IOException e) { throw new UncheckedIOException(e); }
            }
        };
        FitConfig cfg = FitConfig.defaults(T).withSeed(5).withDType(dt).withDraws(40).withCheckpoint(ckpt, T / 2, false);
        return Trainer.fit(method, target, o, cfg, copyAtHalf);
    }

    static void assertResumesBitIdentically(Method a, Method b, Target target, Options o, DType dt, Path dir) {
        Path mid = dir.resolve("mid.ckpt");
        Fit full = runWithMidCheckpoint(a, target, o, dt, dir, mid);
        assertTrue(Files.exists(mid), "no checkpoint at T/2");
        FitConfig cfg = FitConfig.defaults(T).withSeed(5).withDType(dt).withDraws(40).withCheckpoint(mid, 0, true);
        Fit resumed = Trainer.fit(b, target, o, cfg, Progress.SILENT);
        assertEquals(T / 2, resumed.startIteration(), "did not resume from the T/2 checkpoint");

        Map<String, Tensor> want = full.session().state().snapshot(), got = resumed.session().state().snapshot();
        assertEquals(want.keySet(), got.keySet(), "checkpointed state");
        for (String k : want.keySet())
            assertArrayEquals(want.get(k).toDoubleArray(), got.get(k).toDoubleArray(), k);
        double[] second = Arrays.copyOfRange(full.trace().objective(), T / 2, T);
        assertArrayEquals(second, resumed.trace().objective(), "objective trace after T/2");
        assertArrayEquals(full.samples().toDoubleArray(), resumed.samples().toDoubleArray(), "final draws");
    }

    /** Options sized for a few fast iterations; each method's extra state named in the second column. */
    @ParameterizedTest(name = "{0} ({1}) {3}")
    @CsvSource(delimiter = '|', value = {
            "advi|two groups (mean, log sd)|batch=20|F64",
            "advi|Robbins–Monro steps|batch=20,lr_schedule=robbins-monro,rm_kappa=0.6|F64",
            "bbvi|score-function gradient, Adam state|batch=20|F64",
            "fullrank|mean and Cholesky factor|batch=20|F64",
            "sivi|surrogate, K extra draws|batch=20,hidden=8,k=5|F64",
            "iwhvi|reverse model tau|batch=10,hidden=8,tau_hidden=8,k=3|F64",
            "uivi|adapted HMC step|batch=10,hidden=8,chains=2,burn_in=2,leapfrog=2|F64",
            "svgd|AdaGrad-momentum state|particles=20|F64",
            "ksivi|mean and logvar groups|batch=20,hidden=8|F32",
            "ksivi-ml|two layers|batch=20,hidden=8,layers=2|F64",
            "sivi-sm|critic, two critic steps|batch=20,hidden=8,f_hidden=8,ftimes=2|F64",
            "sivi-sm|critic, float32|batch=20,hidden=8,f_hidden=8|F32",
            "kpg|second batch|batch=20,hidden=8|F64",
            "kpg-is|proposal network|batch=20,hidden=8,num_proposals=8,proposal_hidden=6|F64",
            "hsivi|SM layers and critics|layers=3,hidden=6,batch=10,f_hidden=6|F64",
            "hsivi|LB layers|objective=lb,layers=3,hidden=6,batch=10,k=4|F64",
            "hsivi|layer-wise, switch after the checkpoint|schedule=layerwise,layer_iterations=4,layers=2,hidden=6,batch=10,f_hidden=6|F64",
            "hsivi|random layer|joint_layers=random,layers=3,hidden=6,batch=10,f_hidden=6|F64",
    })
    void resumedRunEqualsTheUninterruptedOne(String method, String state, String options, DType dt, @TempDir Path dir) {
        Options o = Options.empty();
        for (String kv : options.split(",")) { String[] p = kv.split("="); o = o.with(p[0], p[1]); }
        assertResumesBitIdentically(Registry.method(method), Registry.method(method), new Banana(), o, dt, dir);
    }

    /**
     * Data batches drawn epoch by epoch without replacement: B = 150 of lr-waveform's 400 rows is 2 batches per
     * epoch, so the 6 iterations cross three epochs and the resume point (3) is mid-epoch; the rows of iteration t
     * are a function of (seed, t), so the resumed run sees the same batches.
     */
    @Test void aDataBatchedRunResumesBitIdentically(@TempDir Path dir) {
        Target t = sivi.targets.Targets.create("lr-waveform").withDataBatch(150);
        assertResumesBitIdentically(Registry.method("advi"), Registry.method("advi"), t, Options.of("batch", "10"), DType.F64, dir);
    }

    /** A method whose state carries an EMA of the parameters (as the diffusion distillation does). */
    record WithEma(Method inner) implements Method {
        @Override public String name() { return inner.name(); }
        @Override public String description() { return inner.description() + " with EMA"; }
        @Override public Session init(Target target, Options options, DType dtype, Rng rng) {
            Session s = inner.init(target, options, dtype, rng);
            s.state().enableEma(0.8);
            return s;
        }
    }

    @Test void emaIsCheckpointedAndResumed(@TempDir Path dir) {
        Options o = Options.of("batch", "20", "hidden", "8");
        assertResumesBitIdentically(new WithEma(Registry.method("ksivi")), new WithEma(Registry.method("ksivi")), new Banana(), o, DType.F64, dir);
    }

    /**
     * The check has teeth: a session with state outside its TrainState (here: one extra draw on its
     * first step, so a resumed run's first step differs) is caught.
     */
    @Test void stateOutsideTheCheckpointIsCaught(@TempDir Path dir) {
        Method leaky = new Method() {
            final Method inner = Registry.method("ksivi");
            @Override public String name() { return inner.name(); }
            @Override public String description() { return "ksivi with hidden state"; }
            @Override public Session init(Target target, Options options, DType dtype, Rng rng) {
                Session s = inner.init(target, options, dtype, rng);
                boolean[] first = {true};
                return new Session() {
                    @Override public sivi.fit.TrainState state() { return s.state(); }
                    @Override public sivi.fit.StepInfo step(Target t, int iteration, Rng r) {
                        if (first[0]) { r.nextGaussian(); first[0] = false; }
                        return s.step(t, iteration, r);
                    }
                    @Override public Tensor sample(Rng r, int n) { return s.sample(r, n); }
                };
            }
        };
        Options o = Options.of("batch", "20", "hidden", "8");
        assertThrows(AssertionError.class, () -> assertResumesBitIdentically(leaky, leaky, new Banana(), o, DType.F64, dir));
    }
}
