package sivi.data;

/** Bad input data. The message names the source (file or resource), and the line and column where known. */
public final class DataException extends RuntimeException {
    public DataException(String message) { super(message); }

    public DataException(String message, Throwable cause) { super(message, cause); }

    /**
     * Text from an input file as an error message may quote it: at most 40 characters (then "…"),
     * control characters as '?', so a binary or wrongly encoded file still gives one short line.
     */
    public static String show(String text) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < text.length() && k < 40; k++) {
            char c = text.charAt(k);
            b.append(Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? '?' : c);
        }
        return text.length() > 40 ? b.append('…').toString() : b.toString();
    }

    /** "source:line: column c (name): what", with 1-based line and column numbers. */
    static DataException at(String source, int line, int column, String columnName, String what) {
        String col = column <= 0 ? "" : " column " + column + (columnName == null ? "" : " (" + show(columnName) + ")") + ":";
        return new DataException(source + ":" + line + ":" + col + " " + what);
    }
}
