package sivi.fit;

import java.util.Optional;

/**
 * When a fit may end before its iteration budget ({@link FitConfig#iterations}): never
 * ({@link #NONE}), or when the objective has stopped decreasing by more than its own noise
 * ({@link #plateau}).
 *
 * <p>The plateau test, at every multiple of {@code window} iterations from {@code 3·window} on (the
 * first window is the initial transient and is never compared): split each of the last two windows
 * into {@value #BATCHES} batches and take the batch means b_1 … b_2B (B = {@value #BATCHES}); m0 and
 * m1 are the means of the older and the newer window. The noise variance of one batch mean is
 * estimated by half the mean squared successive difference of the b_j (von Neumann 1941), which a
 * slow trend barely inflates and which, through batching, counts the objective's autocorrelation;
 * the standard error of m0 − m1 is then se = sqrt(2 · s_b² / B). The fit stops when
 * m0 − m1 &lt; z · se: the last window did not improve on the one before by z standard errors.
 * With a flat objective the rule stops at a check with probability about Φ(z) (0.84 for z = 1);
 * with a decrease of δ per window about Φ(z − δ/se). The rule assumes the method minimises its
 * objective ({@link StepInfo#objective}).
 *
 * @param window iterations per window (0 with {@link #NONE})
 * @param z      decrease, in standard errors, below which the objective counts as flat
 */
public record StopRule(int window, double z) {
    /** Batches per window for the batch-means standard error. */
    public static final int BATCHES = 10;
    /** Run the whole budget. */
    public static final StopRule NONE = new StopRule(0, 0);

    public StopRule {
        if (window != 0 && (window < BATCHES || window % BATCHES != 0))
            throw new IllegalArgumentException("stop window must be a positive multiple of " + BATCHES + ", got " + window);
        if (!Double.isFinite(z)) throw new IllegalArgumentException("stop threshold z must be finite, got " + z);
    }

    public static StopRule plateau(int window, double z) {
        if (window <= 0) throw new IllegalArgumentException("stop window must be > 0, got " + window);
        return new StopRule(window, z);
    }

    public boolean enabled() { return window > 0; }

    /** Objectives the rule needs to remember between checks (and a checkpoint holds): the last two windows. */
    int memory() { return 2 * window; }

    /** Whether a check is due after {@code completed} iterations. */
    boolean checksAt(int completed) { return enabled() && completed >= 3 * window && completed % window == 0; }

    /**
     * The plateau test on the objectives of the last two windows ({@code last.length == 2·window},
     * oldest first): a reason to stop ("objective plateau (…)") or empty to go on.
     */
    Optional<String> test(double[] last) {
        if (last.length != memory()) throw new IllegalArgumentException("need " + memory() + " objectives, got " + last.length);
        int per = window / BATCHES;
        double[] b = new double[2 * BATCHES];
        for (int j = 0; j < b.length; j++) {
            double s = 0;
            for (int i = j * per; i < (j + 1) * per; i++) s += last[i];
            b[j] = s / per;
        }
        double m0 = 0, m1 = 0, mssd = 0;
        for (int j = 0; j < BATCHES; j++) { m0 += b[j] / BATCHES; m1 += b[BATCHES + j] / BATCHES; }
        for (int j = 0; j + 1 < b.length; j++) mssd += (b[j + 1] - b[j]) * (b[j + 1] - b[j]);
        double varBatch = mssd / (b.length - 1) / 2;
        double se = Math.sqrt(2 * varBatch / BATCHES);
        double decrease = m0 - m1;
        if (!Double.isFinite(decrease) || !Double.isFinite(se)) return Optional.empty();   // skipped non-finite steps: no verdict
        if (decrease < z * se) return Optional.of(String.format(java.util.Locale.ROOT,
                "objective plateau (mean of the last %d iterations %.4g, of the %d before %.4g: decrease %.3g < %s × standard error %.3g)",
                window, m1, window, m0, decrease, fmt(z), se));
        return Optional.empty();
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v); }
}
