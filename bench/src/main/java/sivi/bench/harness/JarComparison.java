package sivi.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;

/**
 * The same training step of two sivi builds ("old" and "new", e.g. the last release's jar and this one) timed in one
 * JVM, in alternating rounds: each build's classes live in their own class loader, both sessions are warmed up together,
 * then each round runs a block of steps of one and a block of the other (the order swapped every round) and the figure
 * is the median of the per-round ratios old / new. On a host whose speed drifts by more than the change being measured
 * (issue #21's notes: 1.1 to 1.7 ms for the same step minutes apart), timing the two jars in separate runs cannot
 * tell a 10 % change from the drift; alternating them within seconds can.
 *
 * <p>Each build is stepped through {@link JarStepper}, defined from this build's bytes in a loader that sees the other
 * build's classes first, so the old build needs no knowledge of this command.
 */
public final class JarComparison {
    private JarComparison() {}

    public record Result(String method, String target, int batch, int threads, String dtype, int rounds, int block,
                         double oldMs, double newMs, double ratio, double ratioQ1, double ratioQ3) {
        public Map<String, Object> toJson() {
            Map<String, Object> o = Rounds.header(method, target, batch, threads, dtype, rounds, block);
            o.put("old_median_ms", oldMs); o.put("new_median_ms", newMs);
            o.put("old_over_new_median", ratio); o.put("old_over_new_q1", ratioQ1); o.put("old_over_new_q3", ratioQ3);
            return o;
        }
    }

    /** A build's classes: a jar (or the entries of a class path), loaded apart from the application's own classes. */
    static ClassLoader build(List<URL> classPath) {
        ClassLoader code = new URLClassLoader(classPath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        return new StepperLoader(code);
    }

    /** Defines {@link JarStepper} from this build's bytes unless the build has its own; everything else from the build. */
    private static final class StepperLoader extends ClassLoader {
        StepperLoader(ClassLoader build) { super(build); }

        @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals(JarStepper.class.getName())) throw new ClassNotFoundException(name);
            try (InputStream in = JarStepper.class.getResourceAsStream(JarStepper.class.getSimpleName() + ".class")) {
                if (in == null) throw new ClassNotFoundException(name + ": its class file is not readable from this build");
                byte[] b = in.readAllBytes();
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    /** {step, close} of a session of the build behind {@code loader}; a build without the API names what it lacks. */
    static Runnable[] session(ClassLoader loader, String label, String method, String target, int batch, int threads, String dtype) {
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class<?> c = Class.forName(JarStepper.class.getName(), true, loader);
            return (Runnable[]) c.getMethod("of", String.class, String.class, int.class, int.class, String.class).invoke(null, method, target, batch, threads, dtype);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LinkageError le)
                throw new IllegalArgumentException("the " + label + " build lacks what the comparison calls (" + le + ")");
            if (cause instanceof RuntimeException re) throw re;
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("the " + label + " build cannot be stepped (" + e + ")");
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    /** Warm-up of both for warmupSeconds, then {@code rounds} rounds of {@code block} steps of each. */
    public static Result run(List<URL> oldBuild, List<URL> newBuild, String method, String target, int batch, int threads, String dtype,
                             int rounds, int block, double warmupSeconds) {
        Rounds.requireQuartiles(rounds);
        Runnable[] a = session(build(oldBuild), "old", method, target, batch, threads, dtype);
        try {
            Runnable[] b = session(build(newBuild), "new", method, target, batch, threads, dtype);
            try {
                long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
                do { Rounds.msPerCall(a[0], block); Rounds.msPerCall(b[0], block); } while (System.nanoTime() < warmEnd);
                double[] ta = new double[rounds], tb = new double[rounds], r = new double[rounds];
                for (int k = 0; k < rounds; k++) {
                    if (k % 2 == 0) { ta[k] = Rounds.msPerCall(a[0], block); tb[k] = Rounds.msPerCall(b[0], block); }
                    else { tb[k] = Rounds.msPerCall(b[0], block); ta[k] = Rounds.msPerCall(a[0], block); }
                    r[k] = ta[k] / tb[k];
                }
                Rounds.Stats ratio = Rounds.Stats.of(r);
                return new Result(method, target, batch, threads, dtype, rounds, block, Rounds.Stats.of(ta).median(), Rounds.Stats.of(tb).median(),
                        ratio.median(), ratio.q1(), ratio.q3());
            } finally {
                b[1].run();
            }
        } finally {
            a[1].run();
        }
    }
}
