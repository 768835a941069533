package sivi.repro;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sivi.amortised.AmortisedVi;
import sivi.amortised.Mnist;
import sivi.diffusion.eval.Figures;
import sivi.fit.Fit;
import sivi.fit.FitConfig;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Trainer;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * VAE vs semi-implicit VAE on the 10 000-image MNIST subset (Sobolev and Vetrov 2019, section 5.2, on a
 * subset and smaller networks): each (model, training objective) is trained by the one {@link Trainer}
 * at equal decoder (16-d z, one tanh hidden layer of 200) and evaluated on the 1000 test images (one
 * fixed binarisation) by a test NLL bound, −(1/N) Σ_b bound_b in nats:
 * <ul>
 * <li>vae: the ELBO (M-draw average) and IWAE with M draws (Burda et al. 2016);
 * <li>sivae: the IWHVI bound with K mixing draws (M-draw average of log p(x, z) − log q̂(z)) and its
 *     M-draw importance-weighted version (DIWHVI), with K draws from the trained reverse model τ, or from
 *     the mixing prior for the SIVI-trained model (which has no τ). Both are lower bounds on log p(x)
 *     for every τ ({@link sivi.amortised.Bounds}), so the reported NLL is an upper bound on the true NLL.
 * </ul>
 * Writes result.json, table.md, samples.png (test images, reconstructions and prior samples per model)
 * and each model's checkpoint under models/.
 */
public final class SivaeMnist {
    private SivaeMnist() {}

    /** One trained model: name, model, objective and its training options. */
    record Spec(String model, String objective, Options options) {
        String label() { return model + "/" + objective + (options.has("k") ? " k=" + options.asMap().get("k") : ""); }

        /** The bound the encoder's test estimate is named after: elbo, sivi (prior mixing draws) or iwhvi (reverse model). */
        String testBound() { return model.equals("vae") ? "elbo" : options.asMap().get("objective"); }
    }

    /** Training iterations, test images and the evaluation draws M (outer) and K (inner, SIVAE). */
    record Budget(int iterations, int testImages, int evalDraws, int evalInner, int seeds) {}

    static final List<Spec> SPECS = List.of(
            new Spec("vae", "elbo", Options.of("model", "vae", "objective", "elbo")),
            new Spec("vae", "iwae", Options.of("model", "vae", "objective", "iwae", "k", "5")),
            new Spec("sivae", "sivi", Options.of("model", "sivae", "objective", "sivi", "k", "10")),
            new Spec("sivae", "iwhvi", Options.of("model", "sivae", "objective", "iwhvi", "k", "10")),
            // M = 5 draws of z as the IWAE-trained VAE has: the doubly importance-weighted training bound
            new Spec("sivae", "iwhvi-m5", Options.of("model", "sivae", "objective", "iwhvi", "k", "10", "outer", "5")));

    /**
     * Sized for two cores shared with other work: quick = 1500 iterations of batch 100 (19 epochs), 200
     * test images (every fifth: the file is ordered by digit), M = 200, K = 20, one seed — a few minutes.
     * Full = 5000 iterations (62 epochs), 500 test images (every second), M = 1000 (the IWAE
     * K = 1000), K = 20, seeds 1 and 2 — about 25 min of one core. The paper's setting (full MNIST, thousands of
     * epochs, M = 5000) is beyond this machine; grow {@code iterations} here for a longer run.
     */
    static Budget budget(boolean quick) {
        return quick ? new Budget(1500, 200, 200, 20, 1) : new Budget(5000, 500, 1000, 20, 2);
    }

    public static void run(ReproOptions o, Path outDir) throws IOException {
        Budget b = budget(o.quick());
        // the files are rewritten after every model, so a long run that is stopped keeps its finished rows
        table(b, o.seeds() > 0 ? o.seeds() : b.seeds(), SPECS, outDir, System.err, t -> write(t, b, o.quick(), outDir));
    }

    /** One table row: a model × objective × bound with its per-seed test NLLs. */
    record Row(String model, String objective, String bound, int k, int inner, double[] nll, double[] seImages, double seconds) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("objective", objective);
            m.put("bound", bound);
            m.put("k", k);
            if (inner >= 0) m.put("inner_k", inner);
            m.put("test_nll", SeedStats.of(nll).mean());
            m.put("test_nll_seed_sd", SeedStats.of(nll).sd());
            m.put("test_nll_seeds", Arrays.stream(nll).boxed().toList());
            m.put("test_nll_se_images", Arrays.stream(seImages).boxed().toList());
            m.put("train_seconds_mean", seconds);
            return m;
        }
    }

    /** The rows and what the figure shows: test images, then per model its reconstructions of them and prior samples. */
    record Table(List<Row> rows, List<String> labels, List<double[][]> images) {}

    /** Trains and evaluates every spec for seeds 1..seeds; progress lines go to {@code log}. */
    interface Sink { void accept(Table t) throws IOException; }

    static Table table(Budget b, int seeds, List<Spec> specs, Path outDir, PrintStream log, Sink afterEachModel) throws IOException {
        Mnist mnist = Mnist.load();
        Mnist.Split3 split = Mnist.split();
        // evenly spaced test images: the file, and so the sorted split, is ordered by digit
        int[] test = new int[b.testImages()];
        for (int i = 0; i < test.length; i++) test[i] = split.test()[(int) ((long) i * split.test().length / test.length)];
        DType dt = DType.F32;
        // one fixed binarisation of the test images, the same for every model and seed
        Tensor xTest = mnist.binarised(test, Rng.of(2019, 1), dt);
        List<Row> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>(List.of("test (grey)", "test (binary)"));
        int show = Math.min(12, test.length);
        int[] shownRows = new int[show];
        for (int i = 0; i < show; i++) shownRows[i] = i * test.length / show;
        Tensor xShown = rowsOf(xTest, shownRows);
        List<double[][]> images = new ArrayList<>(List.of(rows01(mnist.intensities(Arrays.stream(shownRows).map(i -> test[i]).toArray(), DType.F64)), rows01(xShown)));
        Files.createDirectories(outDir.resolve("models"));
        for (Spec s : specs) {
            double[][] nll = new double[2][seeds], se = new double[2][seeds];
            double secs = 0;
            for (int seed = 1; seed <= seeds; seed++) {
                FitConfig cfg = FitConfig.defaults(b.iterations()).withCurrentBackend().withDType(dt).withSeed(seed).withDraws(0)
                        .withCheckpoint(outDir.resolve("models/" + s.model() + "-" + s.objective() + "-seed" + seed + ".bin"), 0, false);
                Fit fit = Trainer.fit(new AmortisedVi(mnist, split.train()), AmortisedVi.target("mnist10k"), s.options(), cfg, progress(log, s.label() + " seed " + seed));
                secs += fit.wallSeconds() / seeds;
                AmortisedVi.Run run = (AmortisedVi.Run) fit.session();
                long t0 = System.nanoTime();
                double[][] bounds = run.bounds(xTest, b.evalDraws(), b.evalInner(), Rng.of(seed, 99));
                for (int j = 0; j < 2; j++) {
                    double[] v = bounds[j];
                    nll[j][seed - 1] = -mean(v);
                    se[j][seed - 1] = sd(v) / Math.sqrt(v.length);
                }
                log.printf(Locale.ROOT, "  %s seed %d: train %.0fs, eval %.0fs, NLL %.2f / %.2f%n", s.label(), seed, fit.wallSeconds(),
                        (System.nanoTime() - t0) / 1e9, nll[0][seed - 1], nll[1][seed - 1]);
                if (seed == 1) {
                    labels.add(s.objective() + " recon");
                    images.add(rows01(run.reconstruct(xShown, Rng.of(seed, 5))));
                    labels.add(s.objective() + " sample");
                    images.add(rows01(run.sample(Rng.of(seed, 6), show)));
                }
            }
            boolean semi = s.model().equals("sivae");
            String single = s.testBound();
            rows.add(new Row(s.model(), s.objective(), single, 1, semi ? b.evalInner() : -1, nll[0], se[0], secs));
            rows.add(new Row(s.model(), s.objective(), semi ? "m-" + single : "iwae", b.evalDraws(), semi ? b.evalInner() : -1, nll[1], se[1], secs));
            afterEachModel.accept(new Table(rows, labels, images));
        }
        return new Table(rows, labels, images);
    }

    static void write(Table t, Budget b, boolean quick, Path outDir) throws IOException {
        List<Row> rows = t.rows();
        StringBuilder md = new StringBuilder("| model | training objective | test bound | k (draws of z) | K (mixing draws) | test NLL (nats) | seeds |\n|---|---|---|---|---|---|---|\n");
        for (Row r : rows)
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %d |%n", r.model(), r.objective(), r.bound(), r.k(),
                    r.inner() >= 0 ? Integer.toString(r.inner()) : "–", SeedStats.of(r.nll()).format("%.2f"), r.nll().length));
        ResultFiles.writeText(outDir, "table.md", md.toString());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("quick", quick);
        settings.put("backend", Kernels.current().name());
        settings.put("threads", Kernels.current().threads());
        settings.put("dtype", "f32");
        settings.put("iterations", b.iterations());
        settings.put("batch", 100);
        settings.put("train_images", 8000);
        settings.put("test_images", b.testImages());
        settings.put("eval_draws_m", b.evalDraws());
        settings.put("eval_inner_k", b.evalInner());
        settings.put("networks", "z 16-d; decoder 16-200-784 (tanh, Bernoulli); encoders 784-200-32 (vae) and [784 + 16 noise]-200-32 (sivae); reverse model [784 + 16]-200-32");
        settings.put("bounds", "elbo/iwae: Burda et al. 2016; iwhvi/m-iwhvi: Sobolev and Vetrov 2019 eq. 7 and its M-draw (eq. 9) importance-weighted form, "
                + "K draws from the reverse model; sivi/m-sivi: the same with the mixing prior in place of the reverse model (Yin and Zhou 2018)");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows.stream().map(Row::json).toList());
        out.put("settings", settings);
        out.put("paper", PaperValue.none("Sobolev and Vetrov 2019 report full MNIST with larger networks and M = 5000; this is a 10 000-image subset").toJson());
        ResultFiles.writeJson(outDir, out);
        Figures.imageRows(outDir.resolve("samples.png"), t.labels(), t.images(), Mnist.SIDE, 12, 2);
    }

    /** Rows of a [N, 784] tensor of values in [0, 1], mapped to [−1, 1] for {@link Figures#imageRows}. */
    static double[][] rows01(Tensor t) {
        int n = t.shape()[0];
        double[] v = t.contiguous().toDoubleArray();
        double[][] r = new double[n][Mnist.PIXELS];
        for (int i = 0; i < n; i++) for (int j = 0; j < Mnist.PIXELS; j++) r[i][j] = 2 * v[i * Mnist.PIXELS + j] - 1;
        return r;
    }

    private static Tensor rowsOf(Tensor x, int[] rows) {
        double[] v = x.contiguous().toDoubleArray();
        int d = x.shape()[1];
        double[] out = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(v, rows[i] * d, out, i * d, d);
        return Tensor.of(x.dtype(), out, rows.length, d);
    }

    private static double mean(double[] v) { return Arrays.stream(v).average().orElse(Double.NaN); }

    private static double sd(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    private static Progress progress(PrintStream log, String what) {
        return new Progress() {
            int last = -1;
            @Override public void iteration(int it, int total, double objective, double elapsed) {
                int tenth = (int) (10L * it / Math.max(1, total));
                if (tenth != last) { last = tenth; log.printf(Locale.ROOT, "  %s %d/%d obj %.3f %.0fs%n", what, it, total, objective, elapsed); }
            }
        };
    }
}
