package sivi.posteriordb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import sivi.data.Json;

/**
 * One posterior's bundled files (data.json, posterior.json) read from the class path, with the
 * sizes the Stan model declares checked: a mismatch is a one-line error naming the posterior, the
 * variable and both sizes.
 */
public final class StanData {
    static final String ROOT = "/sivi/posteriordb/";

    private final String posterior;
    private final Map<String, Object> values;

    private StanData(String posterior, Map<String, Object> values) {
        this.posterior = posterior;
        this.values = values;
    }

    /** The data of a bundled posterior, e.g. "arK-arK". */
    public static StanData load(String posterior) {
        return new StanData(posterior, object(posterior, "data.json"));
    }

    /** Data given as the text of a data.json: the same parse and checks as a bundled file. */
    public static StanData parse(String posterior, String json) { return new StanData(posterior, object(posterior, "data.json", json)); }

    /** Data given directly (tests, user data): same checks as the bundled files. */
    public static StanData of(String posterior, Map<String, Object> values) { return new StanData(posterior, values); }

    /** posterior.json's "dimensions": output name → length, in the file's order. */
    static Map<String, Object> dimensions(String posterior) {
        Object d = object(posterior, "posterior.json").get("dimensions");
        if (!(d instanceof Map<?, ?> m)) throw new IllegalArgumentException("posteriordb " + posterior + ": posterior.json has no 'dimensions' object");
        @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) m;
        return r;
    }

    static String text(String posterior, String file) {
        try (InputStream in = StanData.class.getResourceAsStream(ROOT + posterior + "/" + file)) {
            if (in == null) throw new IllegalArgumentException("posteriordb: no posterior '" + posterior + "' with " + file + " is bundled");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("posteriordb " + posterior + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> object(String posterior, String file) { return object(posterior, file, text(posterior, file)); }

    private static Map<String, Object> object(String posterior, String file, String text) {
        Object o;
        try { o = Json.parse(text); }
        catch (RuntimeException e) { throw new IllegalArgumentException("posteriordb " + posterior + ": " + file + " is not valid JSON: " + e.getMessage(), e); }
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("posteriordb " + posterior + ": " + file + " is not a JSON object");
        @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) m;
        return r;
    }

    private Object get(String name) {
        if (!values.containsKey(name)) throw new IllegalArgumentException("posteriordb " + posterior + ": data has no '" + name + "'");
        return values.get(name);
    }

    private IllegalArgumentException bad(String name, String what) {
        return new IllegalArgumentException("posteriordb " + posterior + ": data '" + name + "' " + what);
    }

    private double number(String name, Object o) {
        if (o instanceof Number n) return n.doubleValue();
        throw bad(name, "holds " + (o == null ? "null" : "'" + sivi.data.DataException.show(String.valueOf(o)) + "'") + " where a number is expected");
    }

    /** An int, at least {@code min} (Stan's {@code int<lower=min>}). */
    public int integer(String name, int min) {
        double v = number(name, get(name));
        if (v != Math.rint(v)) throw bad(name, "is " + v + ", not an integer");
        if (v < min) throw bad(name, "is " + (long) v + ", below its declared lower bound " + min);
        if (v > Integer.MAX_VALUE) throw bad(name, "is " + v + ", too large for an int");
        return (int) v;
    }

    public double real(String name) { return number(name, get(name)); }

    /** A vector or 1-d array whose declared length is {@code n}. */
    public double[] vector(String name, int n) {
        if (!(get(name) instanceof List<?> l)) throw bad(name, "is not an array");
        if (l.size() != n) throw bad(name, "has " + l.size() + " values, the model declares " + n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = number(name, l.get(i));
        return v;
    }

    /** A vector whose values must all be at least {@code lo} (e.g. {@code <lower=0>}). */
    public double[] vector(String name, int n, double lo) {
        double[] v = vector(name, n);
        for (int i = 0; i < n; i++) if (v[i] < lo) throw bad(name, "[" + (i + 1) + "] is " + v[i] + ", below its declared lower bound " + lo);
        return v;
    }

    /** A rows × cols matrix (a JSON array of rows), as rows. */
    public double[][] matrix(String name, int rows, int cols) {
        if (!(get(name) instanceof List<?> l)) throw bad(name, "is not an array");
        if (l.size() != rows) throw bad(name, "has " + l.size() + " rows, the model declares " + rows);
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {   // a row is allocated once its length is checked: a bad declared size cannot exhaust memory
            if (!(l.get(i) instanceof List<?> r)) throw bad(name, "row " + (i + 1) + " is not an array");
            if (r.size() != cols) throw bad(name, "row " + (i + 1) + " has " + r.size() + " values, the model declares " + cols);
            m[i] = new double[cols];
            for (int j = 0; j < cols; j++) m[i][j] = number(name, r.get(j));
        }
        return m;
    }
}
