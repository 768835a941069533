package sivi.fit;

import java.util.List;
import java.util.Map;
import sivi.targets.StandardizedTarget;
import sivi.targets.Target;
import sivi.tensor.DType;

/**
 * Whitened coordinates for a fit: m and L (lower-triangular, LLᵀ the covariance) from a Laplace fit's draws, so
 * that a method fits {@link StandardizedTarget#whitened} — the same posterior in u = L⁻¹(x − m) — and its draws
 * are mapped back. Why: methods taking Adam steps of about their learning rate per coordinate cannot reach a
 * posterior centred far from the origin or far from unit scale in a few thousand steps, and the score-based
 * objectives diverge on an ill-conditioned correlation (docs/results/posteriordb-session10.md).
 * Used by {@code sivi fit --standardize} and {@code sivi repro posteriordb --standardize}.
 */
public final class Whitening {
    private Whitening() {}

    /** Where m and L came from (laplace, or pathfinder when Laplace failed), and the map itself. */
    public record Result(String source, double[] location, double[][] lower) {
        public StandardizedTarget target(Target t) { return StandardizedTarget.whitened(t, location, lower); }

        /** As JSON: {source, location: m, cholesky: L by rows}. */
        public Map<String, Object> toJson() {
            Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("source", source);
            o.put("location", java.util.Arrays.stream(location).boxed().toList());
            o.put("cholesky", java.util.Arrays.stream(lower).map(r -> java.util.Arrays.stream(r).boxed().toList()).toList());
            return o;
        }

        /** The inverse of {@link #toJson} (a malformed map throws). */
        @SuppressWarnings("unchecked")
        public static Result fromJson(Map<String, Object> o) {
            double[] m = ((List<Object>) o.get("location")).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            double[][] l = ((List<Object>) o.get("cholesky")).stream()
                    .map(r -> ((List<Object>) r).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray()).toArray(double[][]::new);
            return new Result((String) o.get("source"), m, l);
        }
    }

    /** Tried in this order: the first that gives finite draws wins. */
    public static final List<String> SOURCES = List.of("laplace", "pathfinder");

    /**
     * m and L from the mean and covariance (unconstrained scale) of {@code draws} draws of a Laplace fit of t, f64,
     * on the current backend, seed {@code seed}, {@code iterations} iterations, {@code options} set on top of its
     * defaults (Pathfinder's with the same budget when Laplace fails).
     */
    public static Result byLaplace(Target t, int iterations, Map<String, String> options, long seed, int draws) {
        RuntimeException last = null;
        for (String method : SOURCES) {
            if (Registry.find(method).isEmpty()) continue;
            try {
                Sivi s = Sivi.method(method).iterations(iterations).seed(seed).dtype(DType.F64).currentBackend().draws(draws);
                for (var e : options.entrySet()) s.set(e.getKey(), e.getValue());
                double[][] x = s.fit(t).samples().toMatrix();
                int d = t.dim();
                double[] m = new double[d];
                double[][] cov = new double[d][d];
                for (double[] r : x) for (int j = 0; j < d; j++) m[j] += r[j] / x.length;
                for (double[] r : x)
                    for (int i = 0; i < d; i++)
                        for (int j = 0; j <= i; j++) cov[i][j] += (r[i] - m[i]) * (r[j] - m[j]) / (x.length - 1);
                for (int j = 0; j < d; j++)
                    if (!Double.isFinite(m[j]) || !Double.isFinite(cov[j][j])) throw new IllegalStateException(method + " draws not finite in coordinate " + j);
                return new Result(method, m, cholesky(cov));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("whitening " + t.name() + ": " + String.join(" and ", SOURCES) + " failed"
                + (last == null ? " (not registered)" : ": " + (last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage())));
    }

    /**
     * The lower Cholesky factor of a covariance (its lower triangle is read); one that is not positive definite gets a
     * jitter of 1e-10, 1e-8, … 1e-4 × its mean variance on the diagonal first.
     */
    public static double[][] cholesky(double[][] cov) {
        int d = cov.length;
        double mean = 0;
        for (int i = 0; i < d; i++) mean += cov[i][i] / d;
        for (double jitter = 0; jitter <= 1e-4 * mean; jitter = jitter == 0 ? 1e-10 * mean : jitter * 100) {
            double[][] l = new double[d][d];
            boolean ok = true;
            for (int i = 0; i < d && ok; i++)
                for (int j = 0; j <= i; j++) {
                    double v = cov[i][j] + (i == j ? jitter : 0);
                    for (int k = 0; k < j; k++) v -= l[i][k] * l[j][k];
                    if (i == j) {
                        if (!(v > 0)) { ok = false; break; }
                        l[i][i] = Math.sqrt(v);
                    } else l[i][j] = v / l[j][j];
                }
            if (ok) return l;
            if (!(mean > 0)) break;
        }
        throw new IllegalStateException("the draws' covariance is not positive definite (a degenerate direction)");
    }
}
