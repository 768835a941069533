package sivi.kernels;

/**
 * Whether the incubating Vector API ({@code jdk.incubator.vector}) is in this JVM: it is only when
 * the JVM was started with {@code --add-modules jdk.incubator.vector}. Without it the library runs
 * on the scalar backend (the default and "auto" pick it; "simd" fails with one line naming the
 * flag) instead of dying mid-run with a NoClassDefFoundError.
 */
public final class VectorApi {
    private VectorApi() {}

    public static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** The JVM option that brings it in. */
    public static final String FLAG = "--add-modules jdk.incubator.vector";

    static IllegalStateException missing(String what) {
        return new IllegalStateException(what + " needs the Vector API: start the JVM with " + FLAG + " (or use the scalar backend)");
    }
}
