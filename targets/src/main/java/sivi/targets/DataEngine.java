package sivi.targets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Where the log-likelihood sum of a {@link RowTarget} is evaluated. {@code local} (built in) is the
 * target itself, in this JVM; other engines (the {@code spark} module) are found through
 * {@link ServiceLoader} when their module is on the class path, and return a target whose log
 * density, score and HVP are the sums their workers computed with the target's own {@link RowModel}.
 */
public interface DataEngine {
    String LOCAL = "local";

    /** The name given to {@code --engine}. */
    String name();

    /**
     * The target evaluated by this engine.
     *
     * @param settings engine settings, e.g. {@code master} and {@code partitions} for Spark
     */
    Target distribute(RowTarget target, Map<String, String> settings);

    /**
     * The data target {@code target} read by this engine itself from {@code data}, its rows never on this
     * machine (e.g. a Parquet directory on a cluster's file system); empty when this engine does not read
     * that target or file, and the data are then read here and given to {@link #distribute}.
     */
    default Optional<Target> read(String target, Path data, String response, Map<String, String> settings) { return Optional.empty(); }

    /** The engine named {@code name}: {@code local}, or one found on the class path; the error says how to get a missing one. */
    static DataEngine named(String name) {
        if (name.equals(LOCAL)) return new DataEngine() {
            @Override public String name() { return LOCAL; }
            @Override public Target distribute(RowTarget target, Map<String, String> settings) { return target; }
        };
        List<String> known = new ArrayList<>(List.of(LOCAL));
        for (DataEngine e : ServiceLoader.load(DataEngine.class)) {
            if (e.name().equals(name)) return e;
            known.add(e.name());
        }
        String hint = name.equals("spark") ? "; the Spark engine is the module spark, which ./sivi builds and adds when given --engine spark (docs/spark.md)" : "";
        throw new IllegalArgumentException("no data engine '" + name + "' on the class path (available: " + String.join(", ", known) + ")" + hint);
    }
}
