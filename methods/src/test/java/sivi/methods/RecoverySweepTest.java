package sivi.methods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import sivi.methods.Recovery.Case;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The multi-seed sweep behind {@link MethodRecoveryTest}'s tolerances (tag slow): every case of
 * {@link MethodRecoveryTest#CASES} and {@link MethodRecoveryTest#SLOW_CASES} over seeds 1..8. Each
 * seed must pass and its collapsed copy must fail. One line per seed and a summary per case (mean
 * minus optimum, sd over seeds, i.i.d. Monte Carlo sd) are appended to target/recovery-sweep.tsv:
 * that file is where the rms column of a case comes from. System properties: sweep.cases
 * (comma-separated names, default all), sweep.seeds (default 8). Run with
 * {@code mvn -pl objectives -am test -Dtest=RecoverySweepTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsivi.excludedGroups=none -Dgroups=slow}.
 */
@Tag("slow")
class RecoverySweepTest {
    @Test void everySeedPassesAndEveryCollapseFails() throws IOException {
        String only = System.getProperty("sweep.cases", "");
        int seeds = Integer.getInteger("sweep.seeds", 8);
        Path out = Path.of("target", "recovery-sweep.tsv");
        List<Case> all = new ArrayList<>(MethodRecoveryTest.CASES);
        all.addAll(MethodRecoveryTest.SLOW_CASES);
        List<String> failures = new ArrayList<>();
        for (Case c : all) {
            if (!only.isEmpty() && !Arrays.asList(only.split(",")).contains(c.name())) continue;
            double[][] s = new double[seeds][];
            for (int seed = 1; seed <= seeds; seed++) {
                long t0 = System.nanoTime();
                double[] x = c.fit(seed).samples().toDoubleArray();
                s[seed - 1] = Recovery.moments(x);
                String fail = Recovery.failure(c, x), failCollapsed = Recovery.failure(c, Recovery.collapsed(x));
                if (fail != null) failures.add("seed " + seed + ": " + fail);
                if (failCollapsed == null && c.detectsCollapse()) failures.add(c.name() + " seed " + seed + ": the 10 % collapse passes");
                append(out, String.format("%s\tseed %d\t%s\t%.1fs\tpass=%b\tcollapse-caught=%b%n", c.name(), seed, fmt(s[seed - 1]),
                        (System.nanoTime() - t0) / 1e9, fail == null, failCollapsed != null));
            }
            double[] mean = new double[5], sd = new double[5], bias = new double[5];
            for (double[] r : s) for (int i = 0; i < 5; i++) mean[i] += r[i] / seeds;
            for (double[] r : s) for (int i = 0; i < 5; i++) sd[i] += (r[i] - mean[i]) * (r[i] - mean[i]) / (seeds - 1);
            for (int i = 0; i < 5; i++) { sd[i] = Math.sqrt(sd[i]); bias[i] = mean[i] - c.optimum()[i]; }
            append(out, String.format("%s\tSUMMARY\tmean-optimum %s\tsd %s\tmc-sd %s%n", c.name(), fmt(bias), fmt(sd),
                    fmt(Recovery.monteCarloSd(c.optimum(), c.draws()))));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(String.format("%9.5f", x));
        return b.toString();
    }

    static void append(Path p, String line) throws IOException {
        Files.writeString(p, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
