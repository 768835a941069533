package sivi.repro;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A published number to print beside ours, with where it was published. {@link #none} says that no
 * number exists (or none was found) and why: it prints as "–" — a number is never invented or read off a plot.
 * Every experiment reports paper values through this record, so result.json and result.md read the same way.
 */
public record PaperValue(double value, String citation) {
    public PaperValue {
        if (citation == null || citation.isBlank()) throw new IllegalArgumentException("a paper value needs a citation (or the reason it has none)");
    }

    /** A published number: {@code citation} names the paper and its table or figure. */
    public static PaperValue of(double value, String citation) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("a published value must be finite: " + value);
        return new PaperValue(value, citation);
    }

    /** No published number; {@code why} says so (e.g. the paper shows only density plots). */
    public static PaperValue none(String why) { return new PaperValue(Double.NaN, why); }

    public boolean exists() { return Double.isFinite(value); }

    /** The value in {@code fmt}, or "–". */
    public String format(String fmt) { return exists() ? String.format(Locale.ROOT, fmt, value) : "–"; }

    /** {"value": number or null, "citation": text} for result.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", exists() ? value : null);
        m.put("citation", citation);
        return m;
    }
}
