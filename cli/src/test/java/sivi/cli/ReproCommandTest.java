package sivi.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class ReproCommandTest {
    private static int run(ByteArrayOutputStream err, String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    }

    @Test void unknownExperimentIsAUsageErrorListingTheKnownOnes(@TempDir Path tmp) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, run(err, "repro", "nope", "--out", tmp.toString()));
        String msg = err.toString();
        assertTrue(msg.contains("iwhvi-laplace") && msg.contains("hsivi-2d"), msg);
        assertEquals(1, msg.strip().lines().count(), msg);
    }

    @Test void missingOutIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, run(err, "repro", "iwhvi-laplace"));
        assertTrue(err.toString().contains("--out"), err.toString());
    }

    @Test void badBackendOrThreadsIsAUsageError(@TempDir Path tmp) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, run(err, "repro", "hsivi-2d", "--quick", "--backend", "cuda", "--out", tmp.toString()));
        assertTrue(err.toString().contains("--backend") && err.toString().contains("simd"), err.toString());
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, run(err2, "repro", "hsivi-2d", "--quick", "--threads", "0", "--out", tmp.toString()));
        assertTrue(err2.toString().contains("--threads"), err2.toString());
    }

    @Test void everyExperimentHasADescription() {
        assertFalse(sivi.repro.Experiments.ALL.isEmpty());
        sivi.repro.Experiments.ALL.forEach(e -> assertFalse(e.description().isBlank(), e.name()));
    }

    @Test void aSelectorTheExperimentDoesNotHonourIsRefusedNotIgnored(@TempDir Path tmp) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, run(err, "repro", "iwhvi-laplace", "--quick", "--methods", "ksivi", "--out", tmp.toString()));
        assertTrue(err.toString().contains("does not take --methods"), err.toString());
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, run(err2, "repro", "iwhvi-laplace", "--quick", "--seeds", "3", "--out", tmp.toString()));
        assertTrue(err2.toString().contains("does not take --seeds"), err2.toString());
        ByteArrayOutputStream err3 = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, run(err3, "repro", "lr-waveform", "--quick", "--standardize", "--out", tmp.toString()));
        assertTrue(err3.toString().contains("does not take --standardize"), err3.toString());
    }
}
