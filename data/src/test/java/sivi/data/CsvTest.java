package sivi.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.kernels.Rng;

class CsvTest {
    @TempDir Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    DataException fails(Csv csv, Path p) { return assertThrows(DataException.class, () -> csv.readFile(p)); }

    @Test
    void readsQuotedHeaderAndCells() throws IOException {
        Table t = Csv.read(write("a.csv", "\"a\",\"b\"\r\n1,\"2.5\"\r\n\r\n-3,4e1\r\n"));
        assertEquals(List.of("a", "b"), t.columns());
        assertArrayEquals(new double[][] {{1, 2.5}, {-3, 40}}, t.rows());
        assertArrayEquals(new double[] {2.5, 40}, t.column("b"));
        assertArrayEquals(new double[][] {{1}, {-3}}, t.featuresExcept("b"));
    }

    @Test
    void nonNumericCellNamesFileLineAndColumn() throws IOException {
        Path p = write("bad.csv", "x,y\n1,2\n3,abc\n");
        String m = fails(Csv.withHeader(), p).getMessage();
        assertTrue(m.contains(p.toString()) && m.contains(":3:") && m.contains("column 2 (y)") && m.contains("abc"), m);
    }

    @Test
    void raggedRowNamesLineAndCounts() throws IOException {
        Path p = write("ragged.csv", "x,y\n1,2\n3\n");
        String m = fails(Csv.withHeader(), p).getMessage();
        assertTrue(m.contains("ragged.csv:3:") && m.contains("1 fields, expected 2"), m);
    }

    @Test
    void emptyFileAndHeaderOnlyAreErrors() throws IOException {
        Path e = write("empty.csv", "");
        assertTrue(fails(Csv.withHeader(), e).getMessage().contains("empty.csv: empty file"));
        Path h = write("header.csv", "x,y\n");
        assertTrue(fails(Csv.withHeader(), h).getMessage().contains("header.csv: no data rows"));
    }

    @Test
    void nanInfAndEmptyCellsAreErrors() throws IOException {
        for (String bad : new String[] {"NaN", "Infinity", "-Infinity", "\"NaN\""}) {
            Path p = write("nan.csv", "x,y\n1," + bad + "\n");
            String m = fails(Csv.withHeader(), p).getMessage();
            assertTrue(m.contains("nan.csv:2: column 2 (y): not a finite number"), m);
        }
        String m = fails(Csv.withHeader(), write("gap.csv", "x,y\n,1\n")).getMessage();
        assertTrue(m.contains("gap.csv:2: column 1 (x): empty cell"), m);
        m = fails(Csv.withHeader(), write("na.csv", "x,y\n1,NA\n")).getMessage();
        assertTrue(m.contains("na.csv:2: column 2 (y): not a number: 'NA'"), m);
    }

    @Test
    void missingColumnIsNamed() throws IOException {
        Table t = Csv.read(write("t.csv", "x,y\n1,2\n"));
        String m = assertThrows(DataException.class, () -> t.column("z")).getMessage();
        assertTrue(m.contains("t.csv") && m.contains("no column named 'z'"), m);
        assertThrows(DataException.class, () -> t.column(2));
        m = assertThrows(DataException.class, () -> Csv.withHeader().label("z", "a", "b").readFile(dir.resolve("t.csv"))).getMessage();
        assertTrue(m.contains("label column 'z' not found"), m);
    }

    @Test
    void missingFileAndResourceAreNamed() {
        assertTrue(fails(Csv.withHeader(), dir.resolve("nope.csv")).getMessage().contains("nope.csv: no such file"));
        String m = assertThrows(DataException.class, () -> Csv.read("sivi/data/nope.csv")).getMessage();
        assertTrue(m.contains("classpath:sivi/data/nope.csv: no such resource"), m);
    }

    @Test
    void textLabelsMapByExplicitRuleAndRejectOthers() throws IOException {
        Path p = write("lab.csv", "x,Class\n1,\"Good\"\n2,Bad\n");
        Table t = Csv.withHeader().label("Class", "Good", "Bad").readFile(p);
        assertArrayEquals(new double[] {0, 1}, t.column("Class"));
        Path q = write("lab2.csv", "x,Class\n1,Good\n2,Ugly\n");
        String m = fails(Csv.withHeader().label("Class", "Good", "Bad"), q).getMessage();
        assertTrue(m.contains("lab2.csv:3: column 2 (Class): label 'Ugly'"), m);
        // Without a rule a text label is just a non-number.
        assertTrue(fails(Csv.withHeader(), p).getMessage().contains("not a number: 'Good'"));
    }

    @Test
    void headerlessFilesGetVNames() throws IOException {
        Table t = Csv.withoutHeader().readFile(write("nh.csv", "1,2\n3,4\n"));
        assertEquals(List.of("V1", "V2"), t.columns());
        assertEquals(2, t.rowCount());
    }

    @Test
    void standardizerUsesTrainingRowsOnlyAndKeepsConstantColumns() {
        double[][] train = {{1, 1, 2}, {1, 3, 4}, {1, 5, 9}};
        Standardizer s = Standardizer.fit(train);
        assertArrayEquals(new double[] {0, 3, 5}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {1, 2, Math.sqrt(13)}, s.sd(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 1 / Math.sqrt(13)}, s.apply(new double[] {1, 5, 6}), 1e-12);
    }

    @Test
    void splitIsASeededPartition() {
        Split a = Split.of(100, 30, new Rng(4)), b = Split.of(100, 30, new Rng(4));
        assertArrayEquals(a.test(), b.test());
        assertEquals(30, a.test().length);
        assertEquals(70, a.train().length);
        boolean[] seen = new boolean[100];
        for (int i : a.test()) seen[i] = true;
        for (int i : a.train()) { assertFalse(seen[i]); seen[i] = true; }
        for (boolean s : seen) assertTrue(s);
        assertFalse(java.util.Arrays.equals(a.test(), Split.of(100, 30, new Rng(5)).test()));
    }

    @Test
    void fisherYatesIsUniformOverPermutationsOfThree() {
        // 6 permutations, 60000 shuffles: each count ~ Binomial(60000, 1/6), sd = 91.3; allow 5 sd.
        int[] count = new int[6];
        Rng rng = new Rng(8);
        for (int r = 0; r < 60000; r++) {
            int[] p = Split.permutation(3, rng);
            count[p[0] * 2 + (p[1] < p[2] ? 0 : 1)]++; // (first element, order of the other two)
        }
        for (int c : count) assertEquals(10000, c, 5 * 91.3);
    }

    /** Loads every shipped data set from the classpath and checks shapes and label counts. */
    @Test
    void shippedFilesLoadWithExpectedShapes() {
        Table wtr = Csv.read("sivi/data/waveform_sivi_train.csv");
        assertShape(wtr, 400, 23);
        assertCounts(wtr.column("y"), 132, 268);
        Table wte = Csv.read("sivi/data/waveform_sivi_test.csv");
        assertShape(wte, 4600, 23);
        assertCounts(wte.column("y"), 1515, 3085);
        Table wdbc = Csv.withoutHeader().readResource("sivi/data/wdbc.csv");
        assertShape(wdbc, 569, 31);
        assertCounts(wdbc.column(30), 212, 357);
        Table german = Csv.withHeader().label("Class", "Good", "Bad").readResource("sivi/data/german_credit.csv");
        assertShape(german, 1000, 62);
        assertCounts(german.column("Class"), 700, 300);
        Table sonar = Csv.withHeader().label("Class", "R", "M").readResource("sivi/data/sonar.csv");
        assertShape(sonar, 208, 61);
        assertCounts(sonar.column("Class"), 97, 111);
        Table iono = Csv.withHeader().label("Class", "bad", "good").readResource("sivi/data/ionosphere.csv");
        assertShape(iono, 351, 35);
        assertCounts(iono.column("Class"), 126, 225);
        Table pima = Csv.withHeader().label("diabetes", "neg", "pos").readResource("sivi/data/pima.csv");
        assertShape(pima, 768, 9);
        assertCounts(pima.column("diabetes"), 500, 268);
        Table boston = Csv.read("sivi/data/boston_housing.csv");
        assertShape(boston, 506, 14);
        assertEquals(13, boston.featuresExcept("medv")[0].length);
        assertShape(Csv.read("sivi/data/concrete.csv"), 1030, 9);
        Table pines = Csv.read("sivi/data/finpines.csv");
        assertShape(pines, 126, 4);
        for (double x : pines.column("x")) assertTrue(x >= -5 && x <= 5);
        for (double y : pines.column("y")) assertTrue(y >= -8 && y <= 2);
        Table digits = Csv.withoutHeader().readResource("sivi/data/digits8x8.csv");
        assertShape(digits, 1797, 65);
        for (double[] row : digits.rows()) for (int c = 0; c < 64; c++) assertTrue(row[c] >= 0 && row[c] <= 16);
    }

    static void assertShape(Table t, int rows, int cols) {
        assertEquals(rows, t.rowCount(), t.source());
        assertEquals(cols, t.columnCount(), t.source());
    }

    static void assertCounts(double[] labels, int zeros, int ones) {
        int z = 0, o = 0;
        for (double v : labels) { if (v == 0) z++; else if (v == 1) o++; else fail("label " + v); }
        assertEquals(zeros, z);
        assertEquals(ones, o);
    }

    @Test
    void wrongEncodingsAndBinaryCellsGiveOneShortLine() throws IOException {
        Path utf16 = dir.resolve("u16.csv");
        Files.write(utf16, "x,y\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_16));
        assertTrue(fails(Csv.withHeader(), utf16).getMessage().endsWith("not UTF-8 text (UTF-16 or Latin-1? save it as UTF-8)"));
        String junk = "\u0001\u001b[31m" + "z".repeat(5000);
        String m = fails(Csv.withHeader(), write("junk.csv", "x,y\n1," + junk + "\n")).getMessage();
        assertTrue(m.contains("not a number: '??[31mzzz") && m.contains("…'") && m.length() < 200, m);
    }
}
