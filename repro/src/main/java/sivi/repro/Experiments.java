package sivi.repro;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paper experiments {@code sivi repro NAME} runs, in one list: adding an experiment is one line here.
 * Each writes DIR/result.json through {@link ResultFiles}, plus its figures.
 */
public final class Experiments {
    private Experiments() {}

    /** Runs one experiment; {@code o.quick()} = the short documented variant. */
    @FunctionalInterface
    public interface Run { void run(ReproOptions o, Path out) throws Exception; }

    /** Selectors an experiment may honour besides --quick. */
    public enum Selector { SEEDS, POSTERIORS, METHODS, STANDARDIZE }

    /** One experiment; {@code accepts} = the selectors it honours (the CLI refuses the others). */
    public record Experiment(String name, String description, Set<Selector> accepts, Run run) {
        public Experiment { accepts = accepts.isEmpty() ? EnumSet.noneOf(Selector.class) : EnumSet.copyOf(accepts); }

        /** An experiment that honours only --quick. */
        static Experiment quickOnly(String name, String description, QuickRun run) {
            return new Experiment(name, description, Set.of(), (o, out) -> run.run(o.quick(), out));
        }
    }

    /** The form of the experiments written before the selectors existed. */
    @FunctionalInterface
    interface QuickRun { void run(boolean quick, Path out) throws Exception; }

    public static final List<Experiment> ALL = List.of(
            Experiment.quickOnly("iwhvi-laplace", "IWHVI vs SIVI bounds on E_q log q, 50-d Laplace (Sobolev & Vetrov 2019)", IwhviLaplace::run),
            new Experiment("hsivi-bayes", "HSIVI-SM/LB vs SIVI-SM and KSIVI on multimodal, x-shaped, funnel (MMD, kNN-KL; our setup)",
                    Set.of(Selector.SEEDS, Selector.POSTERIORS, Selector.METHODS), HsiviBayes::run),
            Experiment.quickOnly("hsivi-2d", "DDPM/DDIM/DPM-Solver-2 vs HSIVI-SM and CoSIM at NFE 5/10/15 on 2-D toys (Yu et al. 2023, 2025)",
                    (q, o) -> sivi.diffusion.repro.Hsivi2d.run(q, o)),
            Experiment.quickOnly("hsivi-digits", "the same on 8x8 digits, FD in a digit classifier's feature space",
                    (q, o) -> sivi.diffusion.repro.HsiviDigits.run(q, o)),
            new Experiment("sivae-mnist", "VAE vs semi-implicit VAE on a 10k MNIST subset: ELBO/IWAE/SIVI/IWHVI training, test NLL by IWAE and IWHVI bounds (Sobolev & Vetrov 2019)",
                    Set.of(Selector.SEEDS), SivaeMnist::run),
            new Experiment("lr-waveform", "every method with an lr-waveform preset vs NUTS: moments, MMD, test LL/accuracy (BLR, f64)",
                    Set.of(Selector.SEEDS, Selector.METHODS), LrWaveform::run),
            new Experiment("bnn-uci", "KSIVI and SIVI-SM BNN regression on boston and concrete at the reference scripts' recipes: test RMSE and log-likelihood (papers' split)",
                    Set.of(Selector.SEEDS, Selector.METHODS), BnnUci::run),
            new Experiment("cond-diffusion", "KSIVI on the conditioned diffusion (D = 100) at the reference script's recipe vs NUTS run here: errors of means and sds (Cheng et al. 2024)",
                    Set.of(Selector.SEEDS), CondDiffusion::run),
            Experiment.quickOnly("bbvi-variance", "variance of BBVI's score-function gradients vs reparameterisation, 10-d Gaussian and lr-waveform (Ranganath et al. 2014)",
                    BbviVariance::run),
            Experiment.quickOnly("data-batch", "ADVI with B data rows per iteration (epoch-wise, n/B scale) on lr-waveform and bnn-boston: accuracy and wall time vs B (ours)",
                    DataBatchSweep::run),
            Experiment.quickOnly("flow-toys", "normalising flows (planar, RealNVP, IAF; ELBO and IWAE) vs KSIVI and SIVI on banana and multimodal by kNN-KL (ours)",
                    FlowToys::run),
            new Experiment("posteriordb", "every method on the posteriordb posteriors vs reference draws: W1, mean/sd errors, evaluations, time (Pathfinder paper's comparison)",
                    EnumSet.of(Selector.POSTERIORS, Selector.METHODS, Selector.STANDARDIZE), PosteriordbTable::run));

    /** Name → experiment, in list order. */
    public static Map<String, Experiment> byName() {
        Map<String, Experiment> m = new LinkedHashMap<>();
        for (Experiment e : ALL) m.put(e.name(), e);
        return m;
    }

    public static Experiment get(String name) {
        Experiment e = byName().get(name);
        if (e == null) throw new IllegalArgumentException("unknown experiment '" + name + "' (known: " + String.join(", ", byName().keySet()) + ")");
        return e;
    }
}
