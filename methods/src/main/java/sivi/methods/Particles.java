package sivi.methods;

import java.util.LinkedHashMap;
import java.util.Map;
import sivi.kernels.Backend;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

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
        return Kernels.current().partsFor(n, MIN_PER_PART);
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
        double loss = out[0].loss(), extra = out[0].extra();
        for (int k = 1; k < parts; k++) {
            loss += out[k].loss();
            extra += out[k].extra();
        }
        return new Shares(sum(out), loss, extra);
    }

    /** Elements per thread below which the shares are added on the caller alone. */
    static final int MIN_SUM_PER_PART = 8192;

    /**
     * The shares' gradients added name by name in part order (((g₀ + g₁) + g₂) …, elementwise in the dtype), the
     * elements split over the backend's threads: each element's sum is the same whatever the split.
     */
    static Map<String, Tensor> sum(Share[] out) {
        Map<String, java.util.List<Tensor>> by = new LinkedHashMap<>();
        for (Share s : out) for (var e : s.gradients().entrySet()) by.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue());
        Map<String, Tensor> g = new LinkedHashMap<>();
        java.util.List<Tensor[]> sums = new java.util.ArrayList<>();
        java.util.List<Object> dst = new java.util.ArrayList<>();
        long total = 0;
        for (var e : by.entrySet()) {
            java.util.List<Tensor> ts = e.getValue();
            Tensor t0 = ts.get(0);
            for (Tensor t : ts)
                if (t.dtype() != t0.dtype() || !java.util.Arrays.equals(t.shape(), t0.shape()))
                    throw new IllegalStateException("gradient shares of '" + e.getKey() + "' differ in shape or dtype: " + t0 + " and " + t);
            if (ts.size() == 1) g.put(e.getKey(), t0);
            else {
                Tensor[] c = new Tensor[ts.size()];
                for (int k = 0; k < c.length; k++) c[k] = ts.get(k).contiguous();
                Object o = t0.dtype() == sivi.tensor.DType.F32 ? new float[t0.size()] : new double[t0.size()];
                sums.add(c);
                dst.add(o);
                g.put(e.getKey(), o instanceof float[] f ? Tensor.wrap(f, t0.shape()) : Tensor.wrap((double[]) o, t0.shape()));
                total += t0.size();
            }
        }
        Backend be = Kernels.current();
        int parts = be.partsFor(total, MIN_SUM_PER_PART);
        java.util.function.IntConsumer body = j -> {
            for (int q = 0; q < sums.size(); q++) {
                Tensor[] c = sums.get(q);
                int size = c[0].size(), lo = (int) ((long) size * j / parts), hi = (int) ((long) size * (j + 1) / parts);
                addRange(c, dst.get(q), lo, hi);
            }
        };
        if (parts == 1) body.accept(0); else be.parts(parts, body);
        return g;
    }

    /** dst[lo, hi) = c₀ + c₁ + … (left to right) over contiguous tensors of one dtype. */
    private static void addRange(Tensor[] c, Object dst, int lo, int hi) {
        if (dst instanceof float[] d) {
            float[] a0 = c[0].floatStorage(), a1 = c[1].floatStorage();
            int o0 = c[0].offset(), o1 = c[1].offset();
            for (int i = lo; i < hi; i++) d[i] = a0[o0 + i] + a1[o1 + i];
            for (int k = 2; k < c.length; k++) { float[] a = c[k].floatStorage(); int o = c[k].offset(); for (int i = lo; i < hi; i++) d[i] += a[o + i]; }
        } else {
            double[] d = (double[]) dst, a0 = c[0].doubleStorage(), a1 = c[1].doubleStorage();
            int o0 = c[0].offset(), o1 = c[1].offset();
            for (int i = lo; i < hi; i++) d[i] = a0[o0 + i] + a1[o1 + i];
            for (int k = 2; k < c.length; k++) { double[] a = c[k].doubleStorage(); int o = c[k].offset(); for (int i = lo; i < hi; i++) d[i] += a[o + i]; }
        }
    }
}
