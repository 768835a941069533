package sivi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data that would silently mislead a fit are refused (bad headers) or named in a warning. */
class DataChecksTest {
    @TempDir Path dir;

    private Path file(String text) throws IOException { return Files.writeString(dir.resolve("d.csv"), text); }

    @Test void anEmptyColumnNameIsRefusedNamingTheColumn() throws IOException {
        Path p = file(",x,y\n0,1.5,1\n1,2.5,0\n");
        String m = assertThrows(DataException.class, () -> Csv.read(p)).getMessage();
        assertTrue(m.contains(p + ":1: column 1:") && m.contains("empty column name"), m);
    }

    @Test void aRepeatedColumnNameIsRefused() throws IOException {
        Path p = file("x,y,x\n0,1,2\n");
        String m = assertThrows(DataException.class, () -> Csv.read(p)).getMessage();
        assertTrue(m.contains("column 3") && m.contains("also used by column 1"), m);
    }

    @Test void warningsNameConstantColumnsAHugeColumnAndAOneValueResponse() throws IOException {
        Table t = Csv.read(file("a,b,c,y\n1,5,1e308,1\n2,5,-3,1\n3,5,4,1\n"));
        List<String> w = t.warnings(t.columnIndex("y"));
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(0).contains("column 'b' is 5.0 in every row"), w.toString());
        assertTrue(w.get(1).contains("column 'c' has values as large as 1.0E308"), w.toString());
        assertTrue(w.get(2).contains("the response 'y' is 1.0 in every row"), w.toString());
        assertEquals(List.of(), Csv.read(file("a,y\n1,0\n2,1\n")).warnings(1));
    }

    /** 1e308 squared overflows; the scaled sums stay finite and agree with exact (BigDecimal) mean and sd to rounding. */
    @Test void standardisingValuesNear1e308StaysFiniteAndExact() {
        double[][] x = {{1e308, 1}, {-1e308, 2}, {5e307, 4}};
        Standardizer s = Standardizer.fit(x);
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (double[] r : x) sum = sum.add(new java.math.BigDecimal(r[0]));
        java.math.BigDecimal mean = sum.divide(java.math.BigDecimal.valueOf(3), java.math.MathContext.DECIMAL128);
        java.math.BigDecimal ss = java.math.BigDecimal.ZERO;
        for (double[] r : x) { java.math.BigDecimal e = new java.math.BigDecimal(r[0]).subtract(mean); ss = ss.add(e.multiply(e)); }
        double sd = Math.sqrt(ss.divide(java.math.BigDecimal.valueOf(2), java.math.MathContext.DECIMAL128).doubleValue() / 1e300) * 1e150;
        assertEquals(mean.doubleValue(), s.mean()[0], 1e-14 * 1e308);
        assertEquals(sd, s.sd()[0], 1e-14 * sd);
        for (double[] r : s.apply(x)) assertTrue(Double.isFinite(r[0]));
        // an ordinary column keeps the plain sums, bit for bit
        assertArrayEquals(new double[] {7.0 / 3}, new double[] {s.mean()[1]});
    }
}
