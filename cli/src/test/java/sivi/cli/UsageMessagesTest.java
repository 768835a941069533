package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Usage errors read as plain English: one line, exit 2, the program named once. */
class UsageMessagesTest {
    @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

    private static String err(String... args) {
        MainTest.Result r = MainTest.run(args);
        assertEquals(2, r.code(), r.err());
        return r.err().strip();
    }

    @Test void numbersThatAreNotIntegersOrDoNotFitSaySo() {
        assertEquals("sivi fit: Invalid value for option '--iterations': 'abc' is not an integer", err("fit", "--iterations", "abc"));
        assertEquals("sivi fit: Invalid value for option '--iterations': '99999999999' is too large (at most 2147483647)", err("fit", "--iterations", "99999999999"));
        assertEquals("sivi fit: Invalid value for option '--seed': '99999999999999999999999' is too large (at most 9223372036854775807)", err("fit", "--seed", "99999999999999999999999"));
        assertEquals("sivi fit: Invalid value for option '--seed': '-99999999999999999999999' is too small (at least -9223372036854775808)", err("fit", "--seed", "-99999999999999999999999"));
    }

    @Test void theTopLevelNamesTheProgramOnce() {
        String e = err("frobnicate");
        assertEquals(true, e.startsWith("sivi: Unmatched argument at index 0: 'frobnicate'"), e);
    }

    @Test void noArgumentsPrintsTheUsageOnStderrAndExitsTwo() {
        MainTest.Result r = MainTest.run();
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals(true, r.err().startsWith("Usage: sivi"), r.err());
        assertEquals(false, r.err().strip().endsWith("Commands:"), r.err());
    }

    @Test void moreThreadsThanCoresIsAllowedButSaid() {
        int cores = Runtime.getRuntime().availableProcessors();
        MainTest.Result r = MainTest.run("fit", "--iterations", "2", "--batch", "10", "--draws", "5", "--threads", Integer.toString(cores + 1), "--quiet", "--no-plot",
                "--out", tmp.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(true, r.err().contains("--threads " + (cores + 1) + " is more than the " + cores + " core(s) available"), r.err());
    }
}
