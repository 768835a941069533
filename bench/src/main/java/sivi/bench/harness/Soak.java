package sivi.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The verdict and plot of scripts/soak.sh: reads its rss.csv (seconds, rss_kib, checkpoint_bytes, cpu_seconds), draws
 * RSS against minutes, and calls RSS flat when the least-squares line through the readings after the
 * warm-up (the first quarter of the run, at least one reading) rises by at most {@link #FLAT_FRACTION}
 * of the first post-warm-up reading over the post-warm-up span. A leak of one small tensor per
 * iteration (~1 kB × ~10^5 iterations an hour) would exceed that several times over.
 */
public final class Soak {
    private Soak() {}

    /** Allowed growth over the post-warm-up span, as a fraction of the first post-warm-up reading. */
    static final double FLAT_FRACTION = 0.05;

    /** seconds and RSS (MiB) of the readings; the verdict over them. */
    record Verdict(double firstMiB, double slopeMiBPerHour, double growthMiB, double spanMinutes, boolean flat) {}

    static Verdict verdict(double[] seconds, double[] rssMiB) {
        int n = seconds.length;
        if (n < 3) throw new IllegalArgumentException("soak: need at least 3 readings, got " + n);
        double warm = seconds[0] + 0.25 * (seconds[n - 1] - seconds[0]);
        int from = 0;
        while (from < n - 2 && seconds[from] < warm) from++;
        double mt = 0, mr = 0;
        int m = n - from;
        for (int i = from; i < n; i++) { mt += seconds[i]; mr += rssMiB[i]; }
        mt /= m; mr /= m;
        double sxy = 0, sxx = 0;
        for (int i = from; i < n; i++) { sxy += (seconds[i] - mt) * (rssMiB[i] - mr); sxx += (seconds[i] - mt) * (seconds[i] - mt); }
        double slope = sxx > 0 ? sxy / sxx : 0;   // MiB per second
        double span = seconds[n - 1] - seconds[from];
        double growth = slope * span;
        return new Verdict(rssMiB[from], slope * 3600, growth, span / 60, growth <= FLAT_FRACTION * rssMiB[from]);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) { System.err.println("usage: Soak RSS.csv OUT.png"); System.exit(2); }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        int n = lines.size() - 1;
        double[] minutes = new double[n], seconds = new double[n], mib = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            seconds[i] = Double.parseDouble(f[0]);
            minutes[i] = seconds[i] / 60;
            mib[i] = Double.parseDouble(f[1]) / 1024;
        }
        Verdict v = verdict(seconds, mib);
        new LinePlot("JVM resident memory during a soak fit", "minutes", "VmRSS (MiB)", false, false)
                .add("VmRSS", minutes, mib).horizontal("first post-warm-up reading", v.firstMiB()).write(Path.of(args[1]));
        double max = 0;
        for (double x : mib) max = Math.max(max, x);
        System.out.printf("readings: %d over %.1f min; max RSS %.1f MiB%n", n, minutes[n - 1], max);
        System.out.printf("after warm-up (%.1f min span): first %.1f MiB, slope %+.3f MiB/h, fitted growth %+.3f MiB (%+.3f%% of first; flat if <= %.0f%%)%n",
                v.spanMinutes(), v.firstMiB(), v.slopeMiBPerHour(), v.growthMiB(), 100 * v.growthMiB() / v.firstMiB(), 100 * FLAT_FRACTION);
        System.out.println(v.flat() ? "RSS flat after warm-up: yes" : "RSS flat after warm-up: NO (growing)");
    }
}
