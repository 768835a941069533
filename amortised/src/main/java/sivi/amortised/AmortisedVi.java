package sivi.amortised;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.autodiff.Autodiff;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.data.Split;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * Amortised VI on binarised images: a VAE (Gaussian encoder) or SIVAE (semi-implicit encoder) trained
 * by minibatch stochastic optimisation of one bound, as a {@link Method} so the one
 * {@link sivi.fit.Trainer} runs it (trace, progress, checkpoints, resume). The images are the
 * method's own; the target ({@link #target}) only names the run.
 *
 * <p>Objectives (the loss is −(1/B) Σ_b bound_b over a minibatch of B images):
 * <ul>
 * <li>{@code elbo} (vae): log w with one draw (Kingma and Welling 2014);
 * <li>{@code iwae} (vae): log (1/k) Σ w_m (Burda et al. 2016), encoder gradient by DReG
 *     (Tucker et al. 2019: Σ_m w̃_m² ∂log w_m/∂z_m ∂z_m/∂φ) unless {@code dreg=false};
 * <li>{@code sivi} (sivae): the SIVI surrogate with k prior mixing draws plus the generating one
 *     (Yin and Zhou 2018, eq. 7);
 * <li>{@code iwhvi} (sivae): the IWHVI bound with k reverse draws (Sobolev and Vetrov 2019, eq. 7), the
 *     reverse model τ trained on the same bound; {@code outer} > 1 makes it the doubly
 *     importance-weighted bound with that many draws of z.
 * </ul>
 * Minibatches: each epoch is a permutation of the training images (from the init seed and the epoch
 * number, so a resumed run sees the same batches); every use of an image binarises it afresh.
 */
public final class AmortisedVi implements Method {
    private final Mnist data;
    private final int[] train;

    public AmortisedVi(Mnist data, int[] train) {
        if (train.length == 0) throw new IllegalArgumentException("no training images");
        this.data = data;
        this.train = train.clone();
    }

    /** The run's name as a target (no density: the images are the method's own). */
    public static Target target(String name) {
        return new Target() {
            @Override public String name() { return name; }
            @Override public int dim() { return Mnist.PIXELS; }
            @Override public boolean isNormalised() { return false; }
            @Override public Var logDensity(Var x) { throw new UnsupportedOperationException(name + " is a set of images; it has no log-density"); }
        };
    }

    @Override public String name() { return "amortised-vi"; }
    @Override public String description() { return "VAE / semi-implicit VAE on binarised MNIST (ELBO, IWAE, SIVI, IWHVI)"; }

    /** The training options and what they mean, checked when the session starts. */
    public record Config(String model, String objective, int k, int outer, int latent, int hidden, int noise, int batch, double lr, boolean dreg) {
        public Config {
            if (!model.equals("vae") && !model.equals("sivae")) throw new IllegalArgumentException("model must be vae or sivae, got '" + model + "'");
            List<String> ok = model.equals("vae") ? List.of("elbo", "iwae") : List.of("sivi", "iwhvi");
            if (!ok.contains(objective)) throw new IllegalArgumentException("objective of " + model + " must be one of " + ok + ", got '" + objective + "'");
            if (k < 1 || outer < 1 || latent < 1 || hidden < 1 || noise < 1 || batch < 1)
                throw new IllegalArgumentException("k, outer, latent, hidden, noise and batch must be ≥ 1");
            if (!(lr > 0)) throw new IllegalArgumentException("lr must be positive, got " + lr);
            if (outer > 1 && !model.equals("sivae")) throw new IllegalArgumentException("outer applies to sivae only (the vae's iwae uses k)");
        }

        static Config read(Options o) {
            return new Config(o.getString("model", "vae"), o.getString("objective", o.getString("model", "vae").equals("vae") ? "elbo" : "iwhvi"),
                    o.getInt("k", 5), o.getInt("outer", 1), o.getInt("latent", 16), o.getInt("hidden", 200), o.getInt("noise", 16),
                    o.getInt("batch", 100), o.getDouble("lr", 1e-3), o.getBool("dreg", true));
        }
    }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        Config c = Config.read(o);
        TrainState state = new TrainState();
        Params params = state.params();
        Decoder dec = BernoulliDecoder.create(params, c.latent(), new int[] {c.hidden()}, Mnist.PIXELS, rng, dtype);
        Encoder enc = c.model().equals("vae")
                ? GaussianEncoder.create(params, Mnist.PIXELS, new int[] {c.hidden()}, c.latent(), rng, dtype)
                : SemiImplicitEncoder.create(params, Mnist.PIXELS, c.hidden(), c.latent(), c.noise(), rng, dtype);
        ReverseModel rev = c.objective().equals("iwhvi") ? ReverseModel.create(params, Mnist.PIXELS, c.hidden(), c.latent(), c.noise(), rng, dtype) : null;
        // the output bias of the decoder starts at the logits of the mean training image (Burda et al. 2016 do the same)
        params.put("dec.1.bias", meanLogits(c, dtype));
        List<String> prefixes = new ArrayList<>(List.of("dec.", "enc."));
        if (rev != null) prefixes.add("rev.");
        state.addGroup("all", prefixes, new Adam(0.9, 0.999, 1e-4, 0, false), LrSchedule.constant(c.lr()), 0);
        return new Run(state, new Vae(dec, enc, rev), c, data, train, dtype, rng.nextLong());
    }

    private Tensor meanLogits(Config c, DType dtype) {
        double[] b = new double[Mnist.PIXELS];
        for (int i : train) for (int j = 0; j < Mnist.PIXELS; j++) b[j] += data.intensity(i, j) / train.length;
        for (int j = 0; j < b.length; j++) {
            double m = Math.min(Math.max(b[j], 1e-3), 1 - 1e-3);
            b[j] = Math.log(m / (1 - m));
        }
        return Tensor.of(dtype, b, Mnist.PIXELS);
    }

    /** A training run; also evaluates the bounds, reconstructs and samples with its current parameters. */
    public record Run(TrainState state, Vae vae, Config config, Mnist data, int[] train, DType dtype, long batchSeed) implements Session {

        @Override public StepInfo step(Target target, int iteration, Rng rng) {
            int[] rows = batch(iteration);
            Var x = constant(data.binarised(rows, rng, dtype));
            Params.Bound p = state.bind("all");
            Map<String, Tensor> grads;
            Var bound;
            if (config.model().equals("vae") && config.objective().equals("iwae") && config.dreg()) {
                Var logW = Bounds.gaussian(vae, p, x, config.k(), rng, true);
                bound = Bounds.importanceWeighted(logW);
                Var[] losses = Bounds.dregLosses(logW);
                grads = new LinkedHashMap<>(gradients(p, losses[0], "dec."));
                grads.putAll(gradients(p, losses[1], "enc."));
            } else {
                Var logW = logWeights(p, x, rng);
                bound = config.objective().equals("elbo") || config.objective().equals("sivi") ? Bounds.averaged(logW) : Bounds.importanceWeighted(logW);
                grads = p.gradients(neg(mean(bound)));
            }
            state.apply("all", grads, iteration);
            return StepInfo.of(-mean(bound).item());
        }

        /** log w [B, M] of the training objective. */
        private Var logWeights(Params.Bound p, Var x, Rng rng) {
            return switch (config.objective()) {
                case "elbo" -> Bounds.gaussian(vae, p, x, 1, rng, false);
                case "iwae" -> Bounds.gaussian(vae, p, x, config.k(), rng, false);
                case "sivi" -> Bounds.semiImplicit(vae, p, x, 1, config.k(), false, rng);
                default -> Bounds.semiImplicit(vae, p, x, config.outer(), config.k(), true, rng);
            };
        }

        private Map<String, Tensor> gradients(Params.Bound p, Var loss, String prefix) {
            List<String> names = new ArrayList<>();
            List<Var> leaves = new ArrayList<>();
            for (String n : state.params().names()) if (n.startsWith(prefix)) { names.add(n); leaves.add(p.get(n)); }
            Var[] g = Autodiff.grad(loss, leaves.toArray(new Var[0]), null, false);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < g.length; i++) out.put(names.get(i), g[i].value());
            return out;
        }

        /** The training images of one iteration: consecutive slices of a per-epoch permutation. */
        int[] batch(int iteration) {
            int n = train.length, b = Math.min(config.batch(), n), perEpoch = n / b;
            int epoch = iteration / perEpoch, slot = iteration % perEpoch;
            int[] perm = Split.permutation(n, Rng.of(batchSeed, epoch));
            int[] rows = new int[b];
            for (int i = 0; i < b; i++) rows[i] = train[perm[slot * b + i]];
            return rows;
        }

        /**
         * Per-image test bounds with {@code draws} = M draws of z and, for a semi-implicit encoder,
         * {@code inner} = K mixing draws (from τ when the VAE has a reverse model, else from the prior):
         * {single[b], multi[b]} = the M-draw average of log w (ELBO / IWHVI estimate) and
         * log (1/M) Σ_m w_m (IWAE / doubly importance-weighted IWHVI), for each row of x (binary images).
         */
        public double[][] bounds(Tensor x, int draws, int inner, Rng rng) {
            Params.Bound p = state.evaluationParams().bind(k -> false);
            int n = x.shape()[0];
            double[][] out = new double[2][n];
            GradMode.noGrad(() -> {
                for (int i = 0; i < n; i++) {
                    Var xi = constant(x.slice(0, i, i + 1).contiguous());
                    Var logW = vae.semiImplicit() ? Bounds.semiImplicit(vae, p, xi, draws, inner, vae.reverse() != null, rng)
                            : Bounds.gaussian(vae, p, xi, draws, rng, false);
                    out[0][i] = Bounds.averaged(logW).item();
                    out[1][i] = Bounds.importanceWeighted(logW).item();
                }
                return null;
            });
            return out;
        }

        /** Decoder means E[x | z], z ~ q(z | x), for rows of x: reconstructions [N, 784] in [0, 1]. */
        public Tensor reconstruct(Tensor x, Rng rng) {
            Params.Bound p = state.evaluationParams().bind(k -> false);
            return GradMode.noGrad(() -> vae.decoder().mean(p, constant(vae.encode(p, constant(x), rng))).value());
        }

        /** Decoder means E[x | z] for n prior draws z ~ N(0, I): samples of the model's mean images. */
        @Override public Tensor sample(Rng rng, int n) {
            Params.Bound p = state.evaluationParams().bind(k -> false);
            return GradMode.noGrad(() -> vae.decoder().mean(p, constant(rng.normal(dtype, n, vae.decoder().latent()))).value());
        }
    }
}
