package sivi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataWarningsTest {
    @TempDir Path tmp;

    @Test void suspiciousColumnsAreNamedOnStderrEvenWhenQuietAndTheFitStaysFinite() throws Exception {
        StringBuilder csv = new StringBuilder("x,k,big,y\n");
        for (int i = 0; i < 40; i++) csv.append(i % 7).append(",3,").append(i % 2 == 0 ? "1e308" : "-2e307").append(',').append(i % 3 == 0 ? 1 : 0).append('\n');
        Path data = Files.writeString(tmp.resolve("d.csv"), csv);
        Path dir = tmp.resolve("run");
        MainTest.Result r = MainTest.run("fit", "--target", "lr-csv", "--data", data.toString(), "--response", "y", "--method", "advi",
                "--iterations", "20", "--draws", "20", "--quiet", "--no-plot", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("sivi: warning: " + data + ": column 'k' is 3.0 in every row"), r.err());
        assertTrue(r.err().contains("column 'big' has values as large as 1.0E308"), r.err());
        for (String line : Files.readAllLines(dir.resolve("samples.csv")).subList(1, 21))
            for (String v : line.split(",")) assertTrue(Double.isFinite(Double.parseDouble(v)), line);
    }

    @Test void anEmptyColumnNameIsAnErrorNamingIt() throws Exception {
        Path data = Files.writeString(tmp.resolve("d.csv"), ",x,y\n0,1,0\n1,2,1\n2,3,0\n");
        MainTest.Result r = MainTest.run("fit", "--target", "lr-csv", "--data", data.toString(), "--response", "y", "--iterations", "5", "--quiet", "--no-plot", "--out", tmp.resolve("r").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("empty column name"), r.err());
    }
}
