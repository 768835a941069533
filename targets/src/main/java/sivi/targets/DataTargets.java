package sivi.targets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry of data-driven targets: targets built from a user's CSV file and the name of its
 * response column ({@code sivi fit --target NAME --data FILE.csv --response COL}). It is kept apart
 * from {@link Targets}, whose entries need no arguments.
 *
 * <p>A data target registers itself once, typically from a static initialiser of its module:
 * <pre>{@code
 * DataTargets.register("lr-csv", "Bayesian logistic regression on a CSV file (response 0/1)",
 *         (csv, response) -> LogisticRegression.fromCsv(csv, response));
 * }</pre>
 * The factory reads the file (with {@code sivi.data.Csv}) and reports bad input with a
 * {@code sivi.data.DataException} naming the file, line and column, or an
 * {@link IllegalArgumentException} for a bad argument (e.g. an unknown response column).
 */
public final class DataTargets {
    private DataTargets() {}

    /** Builds a target from a CSV file and its response column. */
    @FunctionalInterface
    public interface Factory {
        Target create(Path csv, String response);
    }

    /** A registry entry. */
    public record Entry(String name, String description, Factory factory) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        register("lr-csv", "Bayesian logistic regression on your CSV (response 0/1; features standardised, intercept added, seeded 80/20 split)",
                LogisticRegression::fromCsv);
        // No per-data-set precisions are known for user data: the Boston values of the KSIVI configs are the documented default.
        register("bnn-csv", "BNN regression (50 ReLU units) on your CSV; prior/noise log-precisions -1.00387/-2.55599 (the Boston values)",
                (csv, response) -> BnnRegression.fromCsv(csv, response, -1.003869799168037, -2.555990767319021));
    }

    /** Adds a data target. Replacing a name, or reusing a name of {@link Targets}, is an error. */
    public static synchronized void register(String name, String description, Factory factory) {
        if (ENTRIES.containsKey(name) || Targets.all().containsKey(name))
            throw new IllegalStateException("target '" + name + "' registered twice");
        ENTRIES.put(name, new Entry(name, description, factory));
    }

    /** Every registered data target, in registration order. */
    public static synchronized Map<String, Entry> all() { return new LinkedHashMap<>(ENTRIES); }

    /** The named data target built on {@code csv}; the error lists the known names. */
    public static Target create(String name, Path csv, String response) {
        Entry e;
        synchronized (DataTargets.class) { e = ENTRIES.get(name); }
        if (e == null) throw new IllegalArgumentException("unknown data target '" + name + "' (known: " + String.join(", ", all().keySet()) + ")");
        return e.factory().create(csv, response);
    }
}
