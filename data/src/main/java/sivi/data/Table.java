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
        if (k < 0) throw new DataException(source + ": no column named '" + name + "' (columns: " + columns + ")");
        return k;
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

    @Override
    public String toString() { return "Table[" + source + ", " + rows.length + " x " + columnCount() + ", " + columns + "]"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Table t && source.equals(t.source) && columns.equals(t.columns) && Arrays.deepEquals(rows, t.rows);
    }

    @Override
    public int hashCode() { return 31 * columns.hashCode() + Arrays.deepHashCode(rows); }
}
