package sivi.methods;

import java.util.LinkedHashMap;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.kernels.Backend;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A training step split by particles instead of by op: the batch is cut into one part per backend thread, each
 * part runs the whole per-particle computation on its own thread ({@link Backend#parts}), and the parts'
 * gradients are summed in part order, so the result depends only on the seed and the thread count. One
 * thread: no split, the method's plain step. Used where a step's loss is a sum over particles (SIVI-SM).
 */
final class Particles {
    private Particles() {}

    /** Fewer particles than this per part and the split costs more than it saves (measured at N = 100, 500). */
    static final int MIN_PER_PART = 128;

    /** Tests only: when > 0, every step of the split methods takes the split path with this many parts. */
    static volatile int forcedParts;

    /** How many parts a batch of n splits into on the current backend (1 = do not split). */
    static int parts(int n) {
        if (forcedParts > 0) return forcedParts;
        int threads = Kernels.current().threads();
        return threads > 1 ? Math.max(1, Math.min(threads, n / MIN_PER_PART)) : 1;
    }

    /** One independent stream per part, drawn from rng in part order; one part draws from rng itself (as the plain step). */
    static Rng[] streams(Rng rng, int parts) {
        if (parts == 1) return new Rng[] {rng};
        Rng[] r = new Rng[parts];
        for (int k = 0; k < parts; k++) r[k] = rng.split();
        return r;
    }

    /** What a part returns: its gradient share, its share of the loss, and one more additive figure. */
    record Share(Map<String, Tensor> gradients, double loss, double extra) {}

    /** The parts' shares added up (gradients in part order). */
    record Shares(Map<String, Tensor> gradients, double loss, double extra) {}

    interface Part { Share run(int part, int particles); }

    /** Runs part k on particles [n·k/parts, n·(k+1)/parts) — only the count is passed — and sums the shares in part order. */
    static Shares run(int parts, int n, Part body) {
        Share[] out = new Share[parts];
        Kernels.current().parts(parts, k -> out[k] = body.run(k, (int) ((long) n * (k + 1) / parts - (long) n * k / parts)));
        Map<String, Tensor> g = new LinkedHashMap<>(out[0].gradients());
        double loss = out[0].loss(), extra = out[0].extra();
        for (int k = 1; k < parts; k++) {
            for (var e : out[k].gradients().entrySet())
                g.merge(e.getKey(), e.getValue(), (a, b) -> GradMode.noGrad(() -> add(constant(a), constant(b)).value()));
            loss += out[k].loss();
            extra += out[k].extra();
        }
        return new Shares(g, loss, extra);
    }
}
