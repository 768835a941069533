package sivi.data;

/** Bad input data. The message names the source (file or resource), and the line and column where known. */
public final class DataException extends RuntimeException {
    public DataException(String message) { super(message); }

    public DataException(String message, Throwable cause) { super(message, cause); }

    /** "source:line: column c (name): what", with 1-based line and column numbers. */
    static DataException at(String source, int line, int column, String columnName, String what) {
        String col = column <= 0 ? "" : " column " + column + (columnName == null ? "" : " (" + columnName + ")") + ":";
        return new DataException(source + ":" + line + ":" + col + " " + what);
    }
}
