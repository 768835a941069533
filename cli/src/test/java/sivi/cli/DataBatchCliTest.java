package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.data.Json;

/** --data-batch / --set data_batch on data targets, and the usage error elsewhere. */
class DataBatchCliTest {
    @TempDir Path tmp;

    @Test void dataBatchIsRecordedForBothSpellings() throws Exception {
        for (String[] flag : new String[][] {{"--data-batch", "50"}, {"--set", "data_batch=50"}}) {
            Path out = tmp.resolve("r" + flag[0].length());
            MainTest.Result r = MainTest.run("fit", "--method", "advi", "--target", "lr-waveform", "--iterations", "2", "--draws", "20",
                    flag[0], flag[1], "--out", out.toString(), "--no-plot", "--quiet");
            assertEquals(0, r.code(), r.err());
            @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
            assertEquals(50, ((Number) s.get("data_batch")).intValue());
            assertFalse(((Map<?, ?>) s.get("options")).containsKey("data_batch"), "a target setting, not a method option");
        }
    }

    @Test void aPosteriordbRegressionTakesADataBatch() throws Exception {
        Path out = tmp.resolve("pdb");
        MainTest.Result r = MainTest.run("fit", "--method", "advi", "--target", "pdb-sblrc-blr", "--iterations", "3", "--draws", "20",
                "--data-batch", "25", "--set", "lr_schedule=robbins-monro", "--out", out.toString(), "--no-plot", "--quiet");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        assertEquals(25, ((Number) s.get("data_batch")).intValue());
        MainTest.Result ar = MainTest.run("fit", "--method", "advi", "--target", "pdb-arK-arK", "--iterations", "1", "--data-batch", "10",
                "--out", tmp.resolve("ark").toString(), "--no-plot", "--quiet");
        assertEquals(2, ar.code(), "arK's likelihood is not a sum over independent rows: " + ar.err());
    }

    @Test void aTargetWithoutDataIsAUsageError() {
        MainTest.Result r = MainTest.run("fit", "--method", "advi", "--target", "banana", "--iterations", "1", "--data-batch", "10",
                "--out", tmp.resolve("b").toString(), "--no-plot", "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no data rows"), r.err());
        MainTest.Result zero = MainTest.run("fit", "--method", "advi", "--target", "lr-waveform", "--iterations", "1", "--data-batch", "0",
                "--out", tmp.resolve("c").toString(), "--no-plot", "--quiet");
        assertEquals(2, zero.code(), zero.err());
    }
}
