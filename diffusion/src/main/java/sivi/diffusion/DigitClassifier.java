package sivi.diffusion;

import java.util.List;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.fit.Method;
import sivi.fit.Options;
import sivi.fit.Session;
import sivi.fit.StepInfo;
import sivi.fit.TrainState;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.optim.Adam;
import sivi.optim.LrSchedule;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A small digit classifier whose penultimate layer is the feature space of the Fréchet distance used
 * to evaluate digit samplers — an analogue of FID (Heusel et al. 2017), which uses Inception-v3
 * features; here an MLP 64 → hidden → features (tanh) → 10 trained by cross-entropy on the 8×8 digits.
 * It is a {@link Method} so the {@link sivi.fit.Trainer} runs it; the data and labels are the
 * method's own (the target only names the run).
 */
public final class DigitClassifier implements Method {
    private final Digits digits;

    public DigitClassifier(Digits digits) { this.digits = digits; }

    @Override public String name() { return "digit-classifier"; }
    @Override public String description() { return "MLP digit classifier (feature space of the Fréchet-distance metric)"; }

    @Override public Session init(Target target, Options o, DType dtype, Rng rng) {
        int hidden = o.getInt("hidden", 128), features = o.getInt("features", 32), batch = o.getInt("batch", 128);
        double lr = o.getDouble("lr", 1e-3);
        TrainState state = new TrainState();
        Mlp body = Mlp.create(state.params(), "body", new int[] {Digits.PIXELS, hidden, features}, Activation.RELU, rng, dtype);
        Mlp head = Mlp.create(state.params(), "head", new int[] {features, 10}, Activation.IDENTITY, rng, dtype);
        state.addGroup("all", List.of("body.", "head."), new Adam(0.9, 0.999, 1e-8, 0, false), LrSchedule.constant(lr), 0);
        return new Classifier(state, body, head, digits, batch);
    }

    /** The running classifier. */
    public record Classifier(TrainState state, Mlp body, Mlp head, Digits digits, int batch) implements Session {
        @Override public StepInfo step(Target target, int iteration, Rng rng) {
            int d = Digits.PIXELS;
            double[] x = new double[batch * d], onehot = new double[batch * 10];
            for (int i = 0; i < batch; i++) {
                int k = rng.nextInt(digits.size());
                System.arraycopy(digits.images()[k], 0, x, i * d, d);
                onehot[i * 10 + digits.labels()[k]] = 1;
            }
            var p = state.bind("all");
            Var logits = head.forward(p, features(p, constant(Tensor.of(DType.F64, x, batch, d))));
            Var loss = mean(sub(logSumExp(logits, 1, false), sum(mul(logits, constant(Tensor.of(DType.F64, onehot, batch, 10))), 1, false)));
            state.apply("all", p.gradients(loss), iteration);
            return StepInfo.of(loss.item());
        }

        private Var features(Params.Bound p, Var x) { return tanh(body.forward(p, x)); }

        /** Penultimate-layer features (N×features) of images (N×64 in [−1, 1]). */
        public double[][] features(double[][] images) {
            return GradMode.noGrad(() -> Arrays2.rows(features(state.params().bind(k -> false), constant(Arrays2.toTensor(images, DType.F64))).value()));
        }

        /** Fraction of rows classified as their label. */
        public double accuracy(double[][] images, int[] labels) {
            double[][] logits = GradMode.noGrad(() -> {
                var p = state.params().bind(k -> false);
                return Arrays2.rows(head.forward(p, features(p, constant(Arrays2.toTensor(images, DType.F64)))).value());
            });
            int ok = 0;
            for (int i = 0; i < logits.length; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) if (logits[i][c] > logits[i][best]) best = c;
                if (best == labels[i]) ok++;
            }
            return ok / (double) logits.length;
        }

        @Override public Tensor sample(Rng rng, int n) { return Tensor.zeros(DType.F64, 0, Digits.PIXELS); }
    }
}
