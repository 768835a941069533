package sivi.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a comma-separated numeric table.
 * <ul>
 *   <li>Fields may be wrapped in double quotes (R's {@code write.csv} quotes factors such as "0");
 *       quotes are stripped, a doubled quote inside a quoted field is a literal quote.</li>
 *   <li>Every cell must parse as a finite double: a non-numeric, NaN or infinite cell, a row whose
 *       length differs from the first row (or the header), and a file with no data rows all raise a
 *       {@link DataException} naming the source, 1-based line and column (and the column name).</li>
 *   <li>Blank lines are skipped; CRLF line ends are accepted.</li>
 *   <li>Text labels: {@link #label(String, String, String)} maps a two-valued text column to 0/1 by
 *       an explicit rule, {@code zero -> 0}, {@code one -> 1}; any other value in that column is an
 *       error. The values are compared after unquoting, case-sensitively. We do not guess the
 *       encoding (e.g. alphabetical order), because then "Bad"/"Good" and "pos"/"neg" would map in
 *       opposite senses without anyone noticing.</li>
 * </ul>
 * Instances are immutable option sets: {@code Csv.withHeader().label("Class", "Bad", "Good").read(path)}.
 */
public final class Csv {
    private final boolean header;
    private final Map<String, String[]> labels;

    private Csv(boolean header, Map<String, String[]> labels) { this.header = header; this.labels = labels; }

    /** Options for a file whose first line names the columns. */
    public static Csv withHeader() { return new Csv(true, Map.of()); }

    /** Options for a file without a header; columns are named V1..Vn. */
    public static Csv withoutHeader() { return new Csv(false, Map.of()); }

    /** Reads a file with a header. */
    public static Table read(Path path) { return withHeader().readFile(path); }

    /** Reads a classpath resource with a header, e.g. "sivi/data/pima.csv". */
    public static Table read(String resource) { return withHeader().readResource(resource); }

    /**
     * Maps the text column {@code column} (a header name, or "V1".."Vn" without header) to 0 for
     * {@code zero} and 1 for {@code one}.
     */
    public Csv label(String column, String zero, String one) {
        Map<String, String[]> m = new LinkedHashMap<>(labels);
        m.put(column, new String[] {zero, one});
        return new Csv(header, Map.copyOf(m));
    }

    public Table readFile(Path path) {
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(path.toString(), r);
        } catch (NoSuchFileException e) {
            throw new DataException(path + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new DataException(path + ": not UTF-8 text (UTF-16 or Latin-1? save it as UTF-8)", e);
        } catch (IOException e) {
            throw new DataException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    public Table readResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        InputStream in = Csv.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new DataException("classpath:" + name + ": no such resource"
                + (name.startsWith("sivi/data/") ? " (the bundled data sets ship in the sivi-datasets jar, not in sivi-core: add it to the class path)" : ""));
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse("classpath:" + name, r);
        } catch (IOException e) {
            throw new DataException("classpath:" + name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private Table parse(String source, Reader reader) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<String> names = null;
        List<double[]> rows = new ArrayList<>();
        String[][] labelOf = null; // per column: {zero, one} or null
        int width = -1, lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isBlank()) continue;
            List<String> cells = split(source, lineNo, line);
            if (width < 0) {
                width = cells.size();
                if (header) {
                    names = cells;
                    for (int c = 0; c < width; c++) {
                        if (names.get(c).isBlank())
                            throw DataException.at(source, lineNo, c + 1, null, "empty column name (an index column written by pandas? drop it with index=False, or name it)");
                        int first = names.indexOf(names.get(c));
                        if (first < c) throw DataException.at(source, lineNo, c + 1, names.get(c), "column name also used by column " + (first + 1));
                    }
                } else {
                    names = new ArrayList<>();
                    for (int c = 1; c <= width; c++) names.add("V" + c);
                }
                labelOf = new String[width][];
                for (var e : labels.entrySet()) {
                    int k = names.indexOf(e.getKey());
                    if (k < 0) throw new DataException(source + ": label column '" + e.getKey() + "' not found (columns: " + names + ")");
                    labelOf[k] = e.getValue();
                }
                if (header) continue;
            }
            if (cells.size() != width)
                throw DataException.at(source, lineNo, 0, null, "row has " + cells.size() + " fields, expected " + width);
            double[] row = new double[width];
            for (int c = 0; c < width; c++) row[c] = cell(source, lineNo, c, names.get(c), cells.get(c), labelOf[c]);
            rows.add(row);
        }
        if (width < 0) throw new DataException(source + ": empty file");
        if (rows.isEmpty()) throw new DataException(source + ": no data rows after the header");
        return new Table(source, List.copyOf(names), rows.toArray(new double[0][]));
    }

    private static double cell(String source, int line, int c, String name, String text, String[] label) {
        if (label != null) {
            if (text.equals(label[0])) return 0;
            if (text.equals(label[1])) return 1;
            throw DataException.at(source, line, c + 1, name, "label '" + DataException.show(text) + "' is neither '" + label[0] + "' (0) nor '" + label[1] + "' (1)");
        }
        if (text.isEmpty()) throw DataException.at(source, line, c + 1, name, "empty cell");
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw DataException.at(source, line, c + 1, name, "not a number: '" + DataException.show(text) + "'");
        }
        // Double.parseDouble accepts "NaN", "Infinity" and hexadecimal floats; we reject the first two.
        if (!Double.isFinite(v)) throw DataException.at(source, line, c + 1, name, "not a finite number: '" + DataException.show(text) + "'");
        return v;
    }

    /** Splits one line on commas outside double quotes; strips the quotes. */
    private static List<String> split(String source, int line, String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') { cur.append('"'); i++; }
                    else quoted = false;
                } else cur.append(ch);
            } else if (ch == '"') quoted = true;
            else if (ch == ',') { out.add(cur.toString()); cur.setLength(0); }
            else if (ch != '\r') cur.append(ch);
        }
        if (quoted) throw DataException.at(source, line, out.size() + 1, null, "unterminated quote");
        out.add(cur.toString());
        return out;
    }
}
