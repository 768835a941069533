package sivi.repro;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Repeating an experiment over seeds: which seeds to run ({@link #seeds}) and the mean ± sample sd of a
 * metric over them ({@link #of}). The sd is the spread between seeds (n − 1 in the denominator), not a
 * standard error of the mean; it is NaN for one seed.
 */
public record SeedStats(double mean, double sd, int n) {

    /** Seeds 1..N when {@code --seeds N} was given, else the experiment's single default seed. */
    public static List<Long> seeds(ReproOptions o, long defaultSeed) {
        if (o.seeds() == 0) return List.of(defaultSeed);
        List<Long> s = new ArrayList<>();
        for (long i = 1; i <= o.seeds(); i++) s.add(i);
        return s;
    }

    /** Mean and sample sd of the finite values; a failed seed (NaN) makes the summary NaN rather than hiding it. */
    public static SeedStats of(double[] values) {
        int n = values.length;
        if (n == 0) throw new IllegalArgumentException("no values");
        double s = 0;
        for (double v : values) s += v;
        double mean = s / n, ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        return new SeedStats(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, n);
    }

    /** "mean ± sd" in {@code fmt}, "mean" for one seed, "–" when not finite. */
    public String format(String fmt) {
        if (!Double.isFinite(mean)) return "–";
        String m = String.format(Locale.ROOT, fmt, mean);
        return n > 1 && Double.isFinite(sd) ? m + " ± " + String.format(Locale.ROOT, fmt, sd) : m;
    }
}
