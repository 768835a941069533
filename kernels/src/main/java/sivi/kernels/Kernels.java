package sivi.kernels;

import java.util.concurrent.Callable;
import sivi.kernels.ref.ScalarBackend;

/**
 * Which backend runs the maths. The backend is bound for a dynamic extent with {@link #with}
 * ({@link ScopedValue}); outside any binding the default backend is used. There is no silent
 * fallback: asking for a backend that cannot run throws.
 */
public final class Kernels {
    private Kernels() {}

    private static final ScopedValue<Backend> CURRENT = ScopedValue.newInstance();

    private static final class Default {
        static final Backend INSTANCE = Backends.create(VectorApi.PRESENT ? "simd" : "scalar", 1);
    }

    /** The backend bound by the innermost {@link #with}, else the default (SIMD, one thread; scalar when the JVM lacks the Vector API). */
    public static Backend current() { return CURRENT.isBound() ? CURRENT.get() : Default.INSTANCE; }

    /** Runs {@code body} with {@code backend} as the current backend. */
    public static <T> T with(Backend backend, Callable<T> body) {
        try {
            return ScopedValue.where(CURRENT, backend).call(body::call);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    /** Runs {@code body} with {@code backend} as the current backend. */
    public static void run(Backend backend, Runnable body) { ScopedValue.where(CURRENT, backend).run(body); }

    /** The scalar oracle, for tests and reference checks. */
    public static Backend reference() { return new ScalarBackend(); }
}
