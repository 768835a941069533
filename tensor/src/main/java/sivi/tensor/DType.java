package sivi.tensor;

/** Element type of a tensor. Ops never mix dtypes silently: use {@link Tensor#cast}. */
public enum DType {
    F32(4), F64(8);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Size of one element in bytes. */
    public int bytes() { return bytes; }

    /** Lower-case name as used on the command line and in result files ("f32", "f64"). */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses "f32"/"f64" (case-insensitive); the error lists the accepted values. */
    public static DType parse(String s) {
        for (DType t : values()) if (t.label().equalsIgnoreCase(s)) return t;
        throw new IllegalArgumentException("unknown dtype '" + s + "' (accepted: f32, f64)");
    }
}
