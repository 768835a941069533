package sivi.posteriordb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sivi.mcmc.Nuts;
import sivi.targets.Target;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The acceptance check, slow (tag "slow", excluded by default): the project's NUTS, 4 chains ×
 * (1000 warm-up + 1000 draws), on each port. With reference draws: |mean − ref mean| / ref sd &lt; 0.1
 * and sd / ref sd within ±10 % for every output. Without: rank-normalised R-hat &lt; 1.01 on every
 * output and no divergence. Each run appends a line to target/pdb-nuts.tsv (max |z|, worst sd ratio,
 * max R-hat, divergences, seconds); with {@code -Dpdb.cache=DIR} the runs without bundled draws are also written
 * to the NUTS cache of {@code sivi repro posteriordb} ({@link References}).
 *
 * <p>Uniform starts on (−2, 2)^d as Stan; three posteriors need more than this test runs, and are checked by
 * {@code docs/results/posteriordb-nuts-session11/run.sh} through {@code sivi mcmc} instead (skipped here, not
 * passed): arma11 and lotka_volterra, where a uniform start can strand a chain (seed 1 does), from Pathfinder's
 * draws ({@code --init pathfinder}, which lives above this module); one_comp_mm_elim_abs, whose heavy K_m–V_m tail
 * needs 4 × 50 000 iterations and whose output-scale sds the reference itself resolves only to ±40 %.
 *
 * <pre>
 * mvn -B -o -pl posteriordb -am test -Dtest=NutsReferenceTest -Dsivi.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dpdb.posteriors=arK-arK,eight_schools-eight_schools_noncentered]
 * </pre>
 */
@Tag("slow")
class NutsReferenceTest {
    static Stream<String> posteriors() {
        String only = System.getProperty("pdb.posteriors", "");
        return only.isBlank() ? Posteriors.names().stream() : Arrays.stream(only.split(",")).map(String::strip);
    }

    /** Checked through the CLI by docs/results/posteriordb-nuts-session11/run.sh (see the class comment). */
    static final java.util.Set<String> CHECKED_BY_SCRIPT = java.util.Set.of("arma-arma11", "hudson_lynx_hare-lotka_volterra",
            "one_comp_mm_elim_abs-one_comp_mm_elim_abs");

    @ParameterizedTest @MethodSource("posteriors")
    void nutsMatchesReferenceOrConverges(String posterior) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(CHECKED_BY_SCRIPT.contains(posterior),
                posterior + ": checked by docs/results/posteriordb-nuts-session11/run.sh (Pathfinder starts or long chains)");
        Target t = Posteriors.create(posterior);
        String cache = System.getProperty("pdb.cache", "");
        References.Reference r = References.runNuts(t, Nuts.defaults().withThreads(Integer.getInteger("pdb.threads", 2)), cache);
        if (!cache.isBlank() && References.bundled(posterior).isEmpty()) References.writeCache(References.cacheFile(Path.of(cache), posterior), r);
        double secs = r.seconds(), rhatMax = r.rhatMax();
        List<String> out = t.outputNames();
        int w = out.size();
        Map<String, double[]> ref = PortsTest.reference(posterior);
        double zMax = Double.NaN, ratioWorst = Double.NaN;
        String zAt = "", ratioAt = "";
        if (ref != null) {
            zMax = 0; ratioWorst = 1;
            for (int j = 0; j < w; j++) {
                final int col = j;
                double[] a = ref.get(out.get(j)), b = Arrays.stream(r.draws()).mapToDouble(row -> row[col]).toArray();
                double z = Math.abs(mean(b) - mean(a)) / sd(a), ratio = sd(b) / sd(a);
                if (z > zMax) { zMax = z; zAt = out.get(j); }
                if (Math.abs(ratio - 1) > Math.abs(ratioWorst - 1)) { ratioWorst = ratio; ratioAt = out.get(j); }
            }
        }
        String line = String.format(java.util.Locale.ROOT, "%s\t%.3f\t%s\t%.3f\t%s\t%.4f\t%d\t%.0f%n", posterior, zMax, zAt, ratioWorst, ratioAt, rhatMax, r.divergences(), secs);
        Files.writeString(Path.of("target", "pdb-nuts.tsv"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.print("pdb-nuts\t" + line);
        if (ref != null) {
            assertTrue(zMax < 0.1, posterior + ": |mean - ref| / ref sd = " + zMax + " at " + zAt);
            assertTrue(Math.abs(ratioWorst - 1) <= 0.1, posterior + ": sd ratio " + ratioWorst + " at " + ratioAt);
        } else {
            assertTrue(rhatMax < 1.01, posterior + ": R-hat " + rhatMax);
            assertEquals(0, r.divergences(), posterior + ": divergences");
        }
    }

    static double mean(double[] a) { return Arrays.stream(a).average().orElseThrow(); }

    static double sd(double[] a) {
        double m = mean(a), s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / (a.length - 1));
    }
}
