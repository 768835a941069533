package sivi.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numeric table read by {@link Csv}: {@code rows[r][c]}, with column names (from the header, or
 * "V1".."Vn" when the file has none) and the source it came from, for error messages.
 */
public record Table(String source, List<String> columns, double[][] rows) {

    public int rowCount() { return rows.length; }

    public int columnCount() { return columns.size(); }

    /** 0-based index of the named column; {@link DataException} naming the source if absent. */
    public int columnIndex(String name) {
        int k = columns.indexOf(name);
        if (k < 0) throw new DataException(source + ": no column named '" + DataException.show(name) + "' (columns: " + columnList() + ")");
        return k;
    }

    /** The column names for a message: each as {@link DataException#show}, at most ten. */
    private String columnList() {
        List<String> shown = new ArrayList<>();
        for (int c = 0; c < Math.min(10, columns.size()); c++) shown.add(DataException.show(columns.get(c)));
        return String.join(", ", shown) + (columns.size() > 10 ? ", … (" + columns.size() + " in all)" : "");
    }

    /** Column k (0-based) as a new array. */
    public double[] column(int k) {
        if (k < 0 || k >= columnCount())
            throw new DataException(source + ": column index " + k + " out of range 0.." + (columnCount() - 1));
        double[] out = new double[rows.length];
        for (int r = 0; r < rows.length; r++) out[r] = rows[r][k];
        return out;
    }

    public double[] column(String name) { return column(columnIndex(name)); }

    /** Every column except {@code response}, in file order, as new rows: the design matrix. */
    public double[][] featuresExcept(int response) {
        column(response); // range check
        int[] keep = new int[columnCount() - 1];
        for (int c = 0, k = 0; c < columnCount(); c++) if (c != response) keep[k++] = c;
        return select(keep);
    }

    public double[][] featuresExcept(String response) { return featuresExcept(columnIndex(response)); }

    /** The given columns (0-based), in the given order, as new rows. */
    public double[][] select(int... cols) {
        for (int c : cols) column(c);
        double[][] out = new double[rows.length][cols.length];
        for (int r = 0; r < rows.length; r++) for (int k = 0; k < cols.length; k++) out[r][k] = rows[r][cols[k]];
        return out;
    }

    /** The given rows (0-based), in order, as a new table (row arrays copied). */
    public Table rows(int[] index) {
        double[][] out = new double[index.length][];
        for (int k = 0; k < index.length; k++) out[k] = rows[index[k]].clone();
        return new Table(source, columns, out);
    }

    /** Names of the columns other than {@code response}. */
    public List<String> featureNames(int response) {
        List<String> out = new ArrayList<>(columns);
        out.remove(response);
        return out;
    }

    /**
     * What deserves a warning before fitting a model to this table with column {@code response} as
     * the response: a response with one value in every row, a constant feature, magnitudes beyond
     * 1e150 (squares overflow). Empty when the table looks ordinary.
     */
    public List<String> warnings(int response) {
        List<String> w = new ArrayList<>();
        for (int c = 0; c < columnCount(); c++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double[] row : rows) { min = Math.min(min, row[c]); max = Math.max(max, row[c]); }
            String name = "'" + columns.get(c) + "'";
            if (min == max && rows.length > 1)
                w.add(c == response ? "the response " + name + " is " + min + " in every row: the data cannot inform the model beyond its prior"
                        : "column " + name + " is " + min + " in every row: it carries no information");
            if (Math.max(Math.abs(min), Math.abs(max)) > 1e150)
                w.add("column " + name + " has values as large as " + (Math.abs(max) > Math.abs(min) ? max : min) + " (check its units: such values usually mean a data error)");
        }
        return w;
    }

    @Override
    public String toString() { return "Table[" + source + ", " + rows.length + " x " + columnCount() + ", " + columns + "]"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Table t && source.equals(t.source) && columns.equals(t.columns) && Arrays.deepEquals(rows, t.rows);
    }

    @Override
    public int hashCode() { return 31 * columns.hashCode() + Arrays.deepHashCode(rows); }
}
