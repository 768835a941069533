package sivi.fit;

import java.util.List;
import java.util.Locale;

/**
 * One accepted option of a method: its key, type, default (as the user would type it; null when it is
 * computed from other options, and {@code doc} says how), unit and one-line doc. A spec with a
 * condition ({@link #onlyWhen}) applies only when another option has a given value (e.g. the critic's
 * keys of HSIVI only with {@code objective=sm}); {@link MethodDescriptor#resolve} drops it otherwise.
 *
 * @param choices accepted values of an {@link Type#ENUM}
 * @param min     smallest accepted value of an INT or DOUBLE (null: any)
 */
public record OptionSpec(String key, Type type, String defaultValue, String unit, String doc, List<String> choices,
                         Double min, String whenKey, String whenValue) {

    public enum Type { INT, DOUBLE, BOOL, STRING, ENUM, LIST }

    public OptionSpec {
        if (key == null || key.isBlank() || doc == null) throw new IllegalArgumentException("an option needs a key and a doc");
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (type == Type.ENUM && choices.isEmpty()) throw new IllegalArgumentException("enum option " + key + " needs its choices");
    }

    public static OptionSpec integer(String key, Integer def, String doc) { return of(key, Type.INT, def == null ? null : def.toString(), doc); }
    public static OptionSpec real(String key, Double def, String doc) { return of(key, Type.DOUBLE, def == null ? null : Double.toString(def), doc); }
    public static OptionSpec bool(String key, Boolean def, String doc) { return of(key, Type.BOOL, def == null ? null : def.toString(), doc); }
    public static OptionSpec string(String key, String def, String doc) { return of(key, Type.STRING, def, doc); }
    /** A comma-separated list of integers, e.g. layer widths "50,50". */
    public static OptionSpec list(String key, String def, String doc) { return of(key, Type.LIST, def, doc); }
    public static OptionSpec choice(String key, String def, String doc, String... choices) {
        return new OptionSpec(key, Type.ENUM, def, null, doc, List.of(choices), null, null, null);
    }

    private static OptionSpec of(String key, Type type, String def, String doc) { return new OptionSpec(key, type, def, null, doc, null, null, null, null); }

    public OptionSpec unit(String u) { return new OptionSpec(key, type, defaultValue, u, doc, choices, min, whenKey, whenValue); }
    /** Values must be > 0. */
    public OptionSpec positive() { return min(Double.MIN_VALUE); }
    public OptionSpec min(double m) { return new OptionSpec(key, type, defaultValue, unit, doc, choices, m, whenKey, whenValue); }
    /** This option applies only when option {@code k} has value {@code v}. */
    public OptionSpec onlyWhen(String k, String v) { return new OptionSpec(key, type, defaultValue, unit, doc, choices, min, k, v); }
    /** The same option with another default (a shared option whose default differs per method). */
    public OptionSpec withDefault(String def) { return new OptionSpec(key, type, def, unit, doc, choices, min, whenKey, whenValue); }

    /** What a value must look like, for error messages and {@code sivi methods}. */
    public String accepted() {
        String m = min == null ? "" : min == Double.MIN_VALUE ? " > 0"
                : " >= " + (min == Math.rint(min) ? Long.toString(Math.round(min)) : min.toString());
        return switch (type) {
            case INT -> "an integer" + m;
            case DOUBLE -> "a finite number" + m;
            case BOOL -> "true or false";
            case STRING -> "text";
            case ENUM -> "one of " + String.join(", ", choices);
            case LIST -> "comma-separated integers, e.g. 50,50";
        };
    }

    /** Throws a one-line error naming key, value and the accepted form unless {@code value} fits this spec. */
    public void check(String value) {
        boolean ok = switch (type) {
            case INT -> parses(value, true);
            case DOUBLE -> parses(value, false);
            case BOOL -> List.of("true", "false", "yes", "no", "1", "0", "on", "off").contains(value.toLowerCase(Locale.ROOT));
            case STRING -> true;
            case ENUM -> choices.contains(value);
            case LIST -> value.isBlank() || value.matches("\\s*\\d+\\s*(,\\s*\\d+\\s*)*");
        };
        if (!ok) throw new IllegalArgumentException("option " + key + "=" + value + " is not " + accepted());
    }

    private boolean parses(String v, boolean integer) {
        try {
            double d = integer ? Integer.parseInt(v) : Double.parseDouble(v);
            return Double.isFinite(d) && (min == null || d >= min);
        } catch (NumberFormatException e) { return false; }
    }

    /** Type and default for listings: "int = 500", "double (computed)". */
    public String signature() {
        String t = type.name().toLowerCase(Locale.ROOT);
        return t + (defaultValue == null ? " (computed)" : " = " + (defaultValue.isEmpty() ? "\"\"" : defaultValue)) + (unit == null ? "" : " " + unit);
    }
}
