package sivi.fit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hyper-parameters of a method as key=value strings (what a preset or {@code --set k=v} gives),
 * with typed getters that record which keys were read, so unknown keys can be reported as errors
 * instead of being silently ignored.
 */
public final class Options {
    private final Map<String, String> values;
    private final Set<String> read = Collections.synchronizedSet(new TreeSet<>());

    private Options(Map<String, String> values) { this.values = values; }

    public static Options empty() { return new Options(new LinkedHashMap<>()); }

    public static Options of(String... kv) {
        if (kv.length % 2 != 0) throw new IllegalArgumentException("Options.of needs key/value pairs");
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return new Options(m);
    }

    /** Parses "k=v" strings. */
    public static Options parse(Iterable<String> assignments) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("option '" + a + "' is not of the form key=value");
            m.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return new Options(m);
    }

    /** These options with {@code over}'s entries taking precedence. */
    public Options with(Options over) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>(values);
        m.putAll(over.values);
        return new Options(m);
    }

    public Options with(String key, Object value) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>(values);
        m.put(key, String.valueOf(value));
        return new Options(m);
    }

    public boolean has(String key) { return values.containsKey(key); }

    public String getString(String key, String def) { read.add(key); return values.getOrDefault(key, def); }

    public int getInt(String key, int def) {
        read.add(key);
        String v = values.get(key);
        if (v == null) return def;
        try { return Integer.parseInt(v); } catch (NumberFormatException e) { throw new IllegalArgumentException("option " + key + "=" + v + " is not an integer"); }
    }

    public double getDouble(String key, double def) {
        read.add(key);
        String v = values.get(key);
        if (v == null) return def;
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) { throw new IllegalArgumentException("option " + key + "=" + v + " is not a finite number"); }
    }

    public boolean getBool(String key, boolean def) {
        read.add(key);
        String v = values.get(key);
        if (v == null) return def;
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("option " + key + "=" + v + " is not a boolean (true/false)");
        };
    }

    /** Keys that were set but never read by the method: a typo the user should hear about. */
    public Set<String> unread() {
        Set<String> u = new TreeSet<>(values.keySet());
        u.removeAll(read);
        return u;
    }

    public Map<String, String> asMap() { return Collections.unmodifiableMap(values); }

    @Override public String toString() { return values.toString(); }
}
