package sivi.fit;

import java.util.List;
import java.util.Map;
import sivi.nn.Params;
import sivi.tensor.Tensor;

/**
 * The result of a fit: draws from the fitted approximation, the per-iteration trace, the final
 * parameters and everything needed to reproduce the run.
 *
 * @param stopReason why the run ended: "iteration budget reached", or the {@link StopRule}'s reason
 */
public record Fit(String method, String target, List<String> names, Tensor samples, Trace trace, Params params,
                  Options options, FitConfig config, String backend, int threads, double wallSeconds,
                  int startIteration, String stopReason, Session session) {

    /** The same fit with other draws (e.g. mapped back from the coordinates the method was fitted in). */
    public Fit withSamples(Tensor draws) {
        return new Fit(method, target, names, draws, trace, params, options, config, backend, threads, wallSeconds, startIteration, stopReason, session);
    }

    /** The iteration count the run ended at (below {@code config().iterations()} when its stop rule ended it). */
    public int endIteration() { return startIteration + trace.size(); }

    /** Whether the stop rule ended the run before its iteration budget. */
    public boolean stoppedEarly() { return endIteration() < config.iterations(); }

    /** Per-iteration trace: objective and elapsed wall time (seconds since the run started). */
    public record Trace(int[] iteration, double[] objective, double[] elapsed, Map<String, double[]> extras) {
        public int size() { return iteration.length; }
    }

    /** Median milliseconds per iteration after a 5% warm-up (NaN with no iterations). */
    public double msPerIteration() {
        int n = trace.size();
        if (n == 0) return Double.NaN;
        int skip = Math.min(n - 1, (int) Math.ceil(0.05 * n));
        double[] dt = new double[n - skip];
        for (int i = skip; i < n; i++) dt[i - skip] = 1000 * (trace.elapsed()[i] - (i == 0 ? 0 : trace.elapsed()[i - 1]));
        java.util.Arrays.sort(dt);
        return dt[(dt.length - 1) / 2];
    }

    /** Mean objective over the last 5% of iterations (at least one). */
    public double finalObjective() {
        int n = trace.size();
        if (n == 0) return Double.NaN;
        int k = Math.max(1, n / 20);
        double s = 0;
        for (int i = n - k; i < n; i++) s += trace.objective()[i];
        return s / k;
    }
}
