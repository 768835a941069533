package sivi.fit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hyper-parameters of a method as key=value strings (what a preset or {@code --set k=v} gives), each
 * with its origin ("preset ksivi-banana", "--set", …), and typed getters that record which keys were
 * read, so unknown keys can be reported as errors instead of being silently ignored.
 *
 * <p>Bound to a method's schema ({@link MethodDescriptor#validate}), a read also checks that the key is
 * declared and that the default at the read site is the declared default: the schema shown to users
 * is the one the code runs with.
 */
public final class Options {
    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final String method;
    private final Map<String, OptionSpec> schema;
    private final Set<String> read = Collections.synchronizedSet(new TreeSet<>());

    private Options(Map<String, String> values, Map<String, String> origins, String method, Map<String, OptionSpec> schema) {
        this.values = values;
        this.origins = origins;
        this.method = method;
        this.schema = schema;
    }

    private Options(Map<String, String> values, Map<String, String> origins) { this(values, origins, null, null); }

    public static Options empty() { return new Options(new LinkedHashMap<>(), new LinkedHashMap<>()); }

    public static Options of(String... kv) {
        if (kv.length % 2 != 0) throw new IllegalArgumentException("Options.of needs key/value pairs");
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return new Options(m, new LinkedHashMap<>());
    }

    /** Parses "k=v" strings. */
    public static Options parse(Iterable<String> assignments) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("option '" + a + "' is not of the form key=value");
            m.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return new Options(m, new LinkedHashMap<>());
    }

    /**
     * These options with {@code over}'s entries taking precedence. A key that {@code over} replaces keeps
     * a trace of the value it overrode in its origin ("--set (overrides preset ksivi-banana: 500)").
     */
    public Options with(Options over) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>(values), o = new LinkedHashMap<>(origins);
        for (var e : over.values.entrySet()) {
            String k = e.getKey(), was = values.get(k), by = over.origins.get(k);
            if (by != null && was != null && origins.get(k) != null && !was.equals(e.getValue()))
                by = by + " (overrides " + origins.get(k) + ": " + was + ")";
            m.put(k, e.getValue());
            if (by != null) o.put(k, by); else o.remove(k);
        }
        return new Options(m, o);
    }

    public Options with(String key, Object value) { return with(Options.of(key, String.valueOf(value))); }

    /** These options with every key marked as coming from {@code origin}. */
    public Options from(String origin) {
        LinkedHashMap<String, String> o = new LinkedHashMap<>();
        for (String k : values.keySet()) o.put(k, origin);
        return new Options(new LinkedHashMap<>(values), o);
    }

    public Options without(String key) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>(values), o = new LinkedHashMap<>(origins);
        m.remove(key);
        o.remove(key);
        return new Options(m, o, method, schema);
    }

    /** The same values checked against a method's schema on every read (see the class comment). */
    Options boundTo(String methodName, Map<String, OptionSpec> spec) {
        return new Options(new LinkedHashMap<>(values), new LinkedHashMap<>(origins), methodName, Map.copyOf(spec));
    }

    public boolean has(String key) { return values.containsKey(key); }

    /** Where a key's value came from, or "given" when nobody said. */
    public String origin(String key) { return origins.getOrDefault(key, "given"); }

    /** Key → origin for every key. */
    public Map<String, String> origins() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : values.keySet()) m.put(k, origin(k));
        return m;
    }

    public String getString(String key, String def) { declared(key, def); return values.getOrDefault(key, def); }

    public int getInt(String key, int def) {
        declared(key, Integer.toString(def));
        String v = values.get(key);
        if (v == null) return def;
        try { return Integer.parseInt(v); } catch (NumberFormatException e) { throw new IllegalArgumentException("option " + key + "=" + v + " is not an integer"); }
    }

    public double getDouble(String key, double def) {
        declared(key, Double.toString(def));
        String v = values.get(key);
        if (v == null) return def;
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) { throw new IllegalArgumentException("option " + key + "=" + v + " is not a finite number"); }
    }

    public boolean getBool(String key, boolean def) {
        declared(key, Boolean.toString(def));
        String v = values.get(key);
        if (v == null) return def;
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("option " + key + "=" + v + " is not a boolean (true/false)");
        };
    }

    /** Records the read; bound to a schema, checks the key is declared and {@code def} is its declared default. */
    private void declared(String key, String def) {
        read.add(key);
        if (schema == null) return;
        OptionSpec s = schema.get(key);
        if (s == null) throw new IllegalStateException("method " + method + " reads option " + key + ", which its descriptor does not declare");
        if (s.defaultValue() != null && !sameValue(s, s.defaultValue(), def))
            throw new IllegalStateException("method " + method + " reads option " + key + " with default " + def + ", but declares " + s.defaultValue());
    }

    private static boolean sameValue(OptionSpec s, String a, String b) {
        return switch (s.type()) {
            case INT, DOUBLE -> Double.parseDouble(a) == Double.parseDouble(b);
            case BOOL -> Boolean.parseBoolean(a) == Boolean.parseBoolean(b);
            default -> a.equals(b);
        };
    }

    /** Keys read so far (by init: the options a method actually uses). */
    public Set<String> read() { return Collections.unmodifiableSet(new TreeSet<>(read)); }

    /** Keys that were set but never read by the method: a typo the user should hear about. */
    public Set<String> unread() {
        Set<String> u = new TreeSet<>(values.keySet());
        u.removeAll(read);
        return u;
    }

    public Map<String, String> asMap() { return Collections.unmodifiableMap(values); }

    @Override public String toString() { return values.toString(); }
}
