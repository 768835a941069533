package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.data.Json;

/** --engine, --master, --partitions without the spark module on the class path (the spark module tests the engine itself). */
class EngineCliTest {
    @TempDir Path tmp;

    MainTest.Result fit(String... extra) {
        var args = new java.util.ArrayList<>(java.util.List.of("fit", "--method", "advi", "--iterations", "2", "--draws", "10", "--no-plot", "--quiet",
                "--out", tmp.resolve("r" + extra.length).toString()));
        args.addAll(java.util.List.of(extra));
        return MainTest.run(args.toArray(String[]::new));
    }

    @Test void theLocalEngineIsTheDefaultAndIsRecorded() throws Exception {
        MainTest.Result r = fit("--target", "lr-waveform");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(tmp.resolve("r2").resolve("summary.json")));
        assertEquals("local", s.get("engine"));
        assertNull(s.get("master"));
    }

    @Test void sparkWithoutItsModuleSaysHowToGetIt() {
        MainTest.Result r = fit("--target", "lr-waveform", "--engine", "spark");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("./sivi builds and adds when given --engine spark"), r.err());
    }

    @Test void engineFlagsAreUsageErrorsWhereTheyDoNotApply() {
        MainTest.Result master = fit("--target", "lr-waveform", "--master", "local[2]");
        assertEquals(2, master.code(), master.err());
        assertTrue(master.err().contains("--master needs --engine spark"), master.err());
        MainTest.Result unknown = fit("--target", "lr-waveform", "--engine", "mpi");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("no data engine 'mpi'") && unknown.err().contains("available: local"), unknown.err());
    }
}
