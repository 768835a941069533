package sivi.spark;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import sivi.targets.DataEngine;
import sivi.targets.RowTarget;
import sivi.targets.Target;

/**
 * {@code --engine spark}: a data target's rows as a cached, partitioned Spark data set, its
 * likelihood sums reduced by {@code treeAggregate} ({@link SparkTarget}). Settings: {@code master}
 * (any URL Spark accepts: {@code local[*]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://…};
 * default {@code local[*]}) and {@code partitions} (default: Spark's default parallelism).
 */
public final class SparkEngine implements DataEngine {
    public static final String NAME = "spark";

    @Override public String name() { return NAME; }

    @Override public Target distribute(RowTarget target, Map<String, String> settings) {
        SparkSession session = session(settings.getOrDefault("master", "local[*]"));
        return SparkTarget.of(JavaSparkContext.fromSparkContext(session.sparkContext()), target, partitions(session, settings));
    }

    /** {@code lr-csv} on a Parquet file ({@code *.parquet}) or directory: read on the cluster by {@link SparkData}. */
    @Override public Optional<Target> read(String target, Path data, String response, Map<String, String> settings) {
        if (!target.equals("lr-csv") || !isParquet(data)) return Optional.empty();
        SparkSession session = session(settings.getOrDefault("master", "local[*]"));
        return Optional.of(SparkData.logisticRegression(session, data.toString(), response, partitions(session, settings)));
    }

    /** Parquet: a name ending in .parquet, or a directory (Spark writes Parquet as one). */
    public static boolean isParquet(Path data) { return data.toString().endsWith(".parquet") || java.nio.file.Files.isDirectory(data); }

    private static int partitions(SparkSession session, Map<String, String> settings) {
        String p = settings.get("partitions");
        int partitions = p == null ? session.sparkContext().defaultParallelism() : Integer.parseInt(p);
        if (partitions < 1) throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        return partitions;
    }

    /** The session of this JVM on {@code master} (created on first use; Spark allows one context per JVM). */
    public static SparkSession session(String master) {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        if (active != null && !active.sparkContext().master().equals(master))
            throw new IllegalStateException("a Spark session on " + active.sparkContext().master() + " is already running in this JVM, not on " + master);
        return SparkSession.builder().master(master).appName("sivi").config("spark.ui.enabled", "false").getOrCreate();
    }
}
