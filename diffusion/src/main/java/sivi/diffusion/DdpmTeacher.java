package sivi.diffusion;

import java.util.List;
import sivi.autodiff.Var;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * DDPM teacher training (Ho, Jain &amp; Abbeel 2020, Algorithm 1 / eq. 14, the "simple" loss):
 * L(θ) = E_{x₀, t, ε} ‖ε − ε_θ(√ᾱ_t x₀ + √(1 − ᾱ_t) ε, t)‖² / d, t uniform in {0..T−1}, with Adam and an
 * EMA of the weights (the teacher is the EMA). The target must be a data set
 * ({@link Target#exactSample}, e.g. a {@link DataTarget}); the {@link sivi.fit.Trainer} runs it.
 *
 * <p>Options: hidden (128), depth (3 hidden layers), emb (16, time-embedding size), act (silu),
 * batch (256), lr (1e-3), lr_warmup (100), lr_step/lr_gamma (StepLR; 1000/1.0 = constant),
 * ema (0.995), clip (1.0), beta_start (1e-4), beta_end (0.02), steps (1000).
 * <p>As implemented: docs/algorithms.md#ddpm.
 */
public final class DdpmTeacher implements Method {
    @Override public String name() { return "ddpm"; }
    @Override public String description() { return "DDPM noise-prediction teacher (Ho et al. 2020) trained on a data set"; }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int hidden = o.getInt("hidden", 128), depth = o.getInt("depth", 3), emb = o.getInt("emb", 16), batch = o.getInt("batch", 256);
        Activation act = Activation.parse(o.getString("act", "silu"));
        double lr = o.getDouble("lr", 1e-3), gamma = o.getDouble("lr_gamma", 1.0), ema = o.getDouble("ema", 0.995), clip = o.getDouble("clip", 1.0);
        int warm = o.getInt("lr_warmup", 100), step = o.getInt("lr_step", 1000);
        double b0 = o.getDouble("beta_start", 1e-4), b1 = o.getDouble("beta_end", 0.02);
        int steps = o.getInt("steps", 1000);
        if (batch < 1) throw new IllegalArgumentException("ddpm: batch must be >= 1, got " + batch);
        if (target.exactSample(rng.split(), 1).isEmpty()) throw new IllegalArgumentException("ddpm: target " + target.name() + " cannot be sampled; a teacher needs a data set");
        TrainState state = new TrainState();
        EpsNet net = EpsNet.create(state.params(), "eps", target.dim(), emb, 1, hidden, depth, act, rng, dtype);
        state.addGroup("eps", List.of("eps."), new Adam(0.9, 0.999, 1e-8, 0, false), LrSchedule.step(lr, gamma, step).withWarmup(warm), clip);
        if (ema > 0) state.enableEma(ema);
        return new TeacherSession(state, net, NoiseSchedule.linear(b0, b1, steps), b0, b1, batch);
    }

    /** The running teacher fit; {@link #teacher()} is the current (EMA) model. */
    public record TeacherSession(TrainState state, EpsNet net, NoiseSchedule schedule, double betaStart, double betaEnd, int batch) implements Session {

        @Override public StepInfo step(Target target, int iteration, Rng rng) {
            Tensor x0 = target.exactSample(rng, batch).orElseThrow().cast(state.params().get("eps.0.weight").dtype());
            var p = state.bind("eps");
            Tensor[] noised = noise(schedule, x0, rng);
            Var loss = loss(p, net, noised[0], noised[1], noised[2].toDoubleArray());
            state.apply("eps", p.gradients(loss), iteration);
            return StepInfo.of(loss.item());
        }

        @Override public Tensor sample(Rng rng, int n) {
            if (n == 0) return Tensor.zeros(DType.F64, 0, net.dim());
            return Samplers.ddpm(teacher(), schedule, rng, Samplers.standardNormal(rng, n, net.dim()));
        }

        public Teacher teacher() { return new Teacher(net, state.evaluationParams().copy(), schedule, betaStart, betaEnd); }
    }

    /** Draws t ~ U{0..T−1} and ε ~ N(0, I) and returns {x_t, ε, t (N)}. */
    static Tensor[] noise(NoiseSchedule sch, Tensor x0, Rng rng) {
        int n = x0.dim(0), d = x0.dim(1);
        double[] x = x0.toDoubleArray(), e = new double[n * d], t = new double[n], xt = new double[n * d];
        rng.fillGaussian(e, 0, e.length);
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(sch.steps());
            double a = Math.sqrt(sch.alphaBar(t[i])), s = sch.sigma(t[i]);
            for (int j = 0; j < d; j++) xt[i * d + j] = a * x[i * d + j] + s * e[i * d + j];
        }
        return new Tensor[] {Tensor.of(x0.dtype(), xt, n, d), Tensor.of(x0.dtype(), e, n, d), Tensor.of(DType.F64, t, n)};
    }

    /** The simple DDPM loss mean_{n} ‖ε_n − ε_θ(x_t,n, t_n)‖²/d. */
    static Var loss(sivi.nn.Params.Bound p, EpsNet net, Tensor xt, Tensor eps, double[] t) {
        Var pred = net.forward(p, constant(xt), t);
        return mean(square(sub(constant(eps), pred)));
    }
}
