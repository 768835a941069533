package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sivi mcmc --format cmdstan` as ArviZ reads it: one chain per file, Stan's sampler statistics,
 * and ArviZ's R-hat, ESS, MCSE and E-BFMI equal to summary.json's (scripts/arviz-roundtrip.py).
 * Skipped, with the reason, where python3 with arviz is not installed (pip install arviz).
 */
class ArvizRoundTripTest {
    @TempDir Path tmp;

    private static boolean arviz() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import arviz").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0;   // importing arviz takes half a minute on a loaded machine
        } catch (Exception e) {
            return false;
        }
    }

    @Test void arvizReadsTheChainsAndAgreesWithTheSummary() throws Exception {
        Path run = tmp.resolve("run");
        MainTest.Result r = MainTest.run("mcmc", "--target", "gaussian", "--chains", "3", "--warmup", "200", "--draws", "150", "--format", "cmdstan", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        for (int c = 1; c <= 3; c++) {
            String f = Files.readString(run.resolve("chain-" + c + ".cmdstan.csv"));
            assertTrue(f.contains("\nlp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,"), f.substring(0, 300));
            assertTrue(f.contains("# id = " + c + "\n"));
        }
        assumeTrue(arviz(), "python3 with arviz is not installed: the ArviZ round trip is skipped (pip install arviz)");
        Path script = Path.of("..", "scripts", "arviz-roundtrip.py");
        Process p = new ProcessBuilder("python3", script.toString(), run.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("ok 3 chains, 10 parameters compared"), out);
    }

    /** --save-warmup --thin 2: ArviZ (save_warmup=True) splits off num_warmup/thin warm-up rows per chain, and the rest agrees as above. */
    @Test void arvizReadsKeptWarmupAndThinnedDraws() throws Exception {
        Path run = tmp.resolve("warm");
        MainTest.Result r = MainTest.run("mcmc", "--target", "gaussian", "--chains", "2", "--warmup", "200", "--draws", "300", "--thin", "2", "--save-warmup",
                "--format", "cmdstan", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assumeTrue(arviz(), "python3 with arviz is not installed: the ArviZ round trip is skipped (pip install arviz)");
        Process p = new ProcessBuilder("python3", Path.of("..", "scripts", "arviz-roundtrip.py").toString(), run.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("ok 2 chains, 10 parameters compared, warm-up read"), out);
    }
}
