package sivi.spark;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import sivi.data.DataException;
import sivi.targets.LogisticRegression;

/**
 * Data read by Spark itself, for data sets that do not fit on the driver: a CSV (with a header) or
 * Parquet file or directory becomes a cached, partitioned data set of {@link Block}s and never passes
 * through the driver. The preparation is {@code lr-csv}'s with every row in training (test fraction 0):
 * features standardised with their mean and sample sd (denominator n − 1; a constant column left as it
 * is), computed by one Spark aggregation, then an intercept column in front.
 */
public final class SparkData {
    private SparkData() {}

    /**
     * Bayesian logistic regression (prior precision {@link LogisticRegression#ALPHA}) on {@code path}
     * with the 0/1 column {@code response}; Parquet when the path ends in {@code .parquet} or is a
     * directory, else CSV.
     */
    public static SparkTarget logisticRegression(SparkSession session, String path, String response, int partitions) {
        boolean parquet = SparkEngine.isParquet(java.nio.file.Path.of(path));
        Dataset<Row> raw = SparkTarget.guard(() -> parquet ? session.read().parquet(path)
                : session.read().option("header", "true").option("inferSchema", "true").csv(path));
        List<String> columns = Arrays.asList(raw.columns());
        if (!columns.contains(response)) throw new DataException(path + ": no column '" + response + "' (columns: " + String.join(", ", columns) + ")");
        List<String> features = new ArrayList<>(columns);
        features.remove(response);
        if (features.isEmpty()) throw new DataException(path + ": no feature columns besides '" + response + "'");
        List<Column> select = new ArrayList<>();
        for (String c : features) select.add(col("`" + c + "`").cast("double"));
        select.add(col("`" + response + "`").cast("double"));
        Dataset<Row> data = raw.select(select.toArray(Column[]::new)).repartition(partitions);

        // one pass: count, bad values (null, non-numeric, non-finite, a response other than 0/1), means and sample sds
        int k = features.size();
        List<Column> agg = new ArrayList<>();
        agg.add(count(lit(1)));
        Column bad = col(data.columns()[k]).isNull().or(col(data.columns()[k]).notEqual(0).and(col(data.columns()[k]).notEqual(1)));
        for (int j = 0; j < k; j++) bad = bad.or(col(data.columns()[j]).isNull()).or(isnan(col(data.columns()[j])));
        agg.add(sum(when(bad, 1).otherwise(0)));
        for (int j = 0; j < k; j++) { agg.add(avg(col(data.columns()[j]))); agg.add(stddev_samp(col(data.columns()[j]))); }
        Row stats = SparkTarget.guard(() -> data.agg(agg.get(0), agg.subList(1, agg.size()).toArray(Column[]::new)).first());
        long n = stats.getLong(0), badRows = stats.getLong(1);
        if (n < 2) throw new DataException(path + ": " + n + " rows; standardisation needs at least 2");
        if (badRows > 0) throw new DataException(path + ": " + badRows + " rows with a missing, non-numeric or NaN value, or a response other than 0 or 1");
        double[] mean = new double[k], sd = new double[k];
        for (int j = 0; j < k; j++) {
            mean[j] = stats.getDouble(2 + 2 * j);
            sd[j] = stats.getDouble(3 + 2 * j);
            if (sd[j] == 0) { mean[j] = 0; sd[j] = 1; }   // as sivi.data.Standardizer: a constant column keeps its meaning
        }
        JavaRDD<Block> blocks = data.javaRDD().mapPartitionsWithIndex((index, rows) -> List.of(block(index, rows, mean, sd)).iterator(), true);

        List<String> names = new ArrayList<>(List.of("intercept"));
        names.addAll(features);
        // the driver holds no rows: its target (one zero row) carries the names, the prior and the row model
        LogisticRegression base = LogisticRegression.of("lr-csv", new LogisticRegression.Data(new double[][] {new double[k + 1]}, new double[1],
                new double[0][], new double[0], names));
        return SparkTarget.of(JavaSparkContext.fromSparkContext(session.sparkContext()), blocks, base.rowModel(), base, base.prior(), 0);
    }

    /** One partition's rows, standardised, with the intercept first. */
    private static Block block(int index, Iterator<Row> rows, double[] mean, double[] sd) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        int k = mean.length;
        while (rows.hasNext()) {
            Row r = rows.next();
            double[] row = new double[k + 1];
            row[0] = 1;
            for (int j = 0; j < k; j++) row[j + 1] = (r.getDouble(j) - mean[j]) / sd[j];
            x.add(row);
            y.add(r.getDouble(k));
        }
        return new Block(index, x.toArray(double[][]::new), y.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
