package sivi.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal JSON for result files and file headers (no dependency): write with {@link #write},
 * read objects, arrays, strings, numbers, booleans and null with {@link #parse}.
 */
public final class Json {
    private Json() {}

    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> { if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c); }
            }
        }
        return b.append('"').toString();
    }

    /** Writes maps, lists, strings, numbers (non-finite as null), booleans and null, pretty-printed. */
    public static String write(Object o) {
        StringBuilder b = new StringBuilder();
        write(b, o, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object o, int indent) {
        if (o == null) b.append("null");
        else if (o instanceof String s) b.append(quote(s));
        else if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            if (!Double.isFinite(d)) b.append("null");
            else if (d == Math.rint(d) && Math.abs(d) < 1e15 && Double.compare(d, -0.0) != 0) b.append((long) d).append(".0");
            else b.append(d);
        } else if (o instanceof Number || o instanceof Boolean) b.append(o);
        else if (o instanceof Map<?, ?> m) {
            if (m.isEmpty()) { b.append("{}"); return; }
            b.append("{\n");
            int i = 0;
            for (var e : m.entrySet()) {
                b.append("  ".repeat(indent + 1)).append(quote(String.valueOf(e.getKey()))).append(": ");
                write(b, e.getValue(), indent + 1);
                b.append(++i < m.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append('}');
        } else if (o instanceof Iterable<?> it) {
            List<Object> l = new ArrayList<>();
            it.forEach(l::add);
            if (l.isEmpty()) { b.append("[]"); return; }
            boolean flat = l.stream().allMatch(x -> x instanceof Number || x instanceof String || x == null);
            if (flat) {
                b.append('[');
                for (int i = 0; i < l.size(); i++) { if (i > 0) b.append(", "); write(b, l.get(i), indent); }
                b.append(']');
                return;
            }
            b.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                b.append("  ".repeat(indent + 1));
                write(b, l.get(i), indent + 1);
                b.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append(']');
        } else if (o instanceof double[] a) {
            List<Object> l = new ArrayList<>();
            for (double d : a) l.add(d);
            write(b, l, indent);
        } else b.append(quote(o.toString()));
    }

    /**
     * Parses one JSON value. Bad input (syntax, a number outside the double range, nesting deeper
     * than {@link #MAX_DEPTH}) is an {@link IllegalArgumentException} whose one-line message starts
     * with "JSON:" and gives the character offset; numbers come back as Integer, Long or finite Double.
     */
    public static Object parse(String s) {
        Parser p = new Parser(s);
        Object v = p.value(0);
        p.ws();
        if (p.i != s.length()) throw p.error("trailing characters");
        return v;
    }

    /** Deeper nesting is refused rather than risking the stack (our files nest three levels). */
    static final int MAX_DEPTH = 256;

    private static final class Parser {
        final String s;
        int i;

        Parser(String s) { this.s = s; }

        IllegalArgumentException error(String what) { return new IllegalArgumentException("JSON: " + what + " at " + i); }

        void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        char peek() {
            if (i >= s.length()) throw error("unexpected end");
            return s.charAt(i);
        }

        Object value(int depth) {
            ws();
            char c = peek();
            if ((c == '{' || c == '[') && depth >= MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (peek() == '}') { i++; return m; }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value(depth + 1));
                    ws();
                    if (peek() == ',') { i++; continue; }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (peek() == ']') { i++; return l; }
                while (true) {
                    l.add(value(depth + 1));
                    ws();
                    if (peek() == ',') { i++; continue; }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int st = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (st == i) throw error("unexpected character U+" + String.format("%04X", (int) c));
            String num = s.substring(st, i);
            i = st;
            if (!num.contains(".") && !num.contains("e") && !num.contains("E")) {
                try {
                    long l = Long.parseLong(num);
                    i += num.length();
                    return l == (int) l ? (Object) (int) l : (Object) l;
                } catch (NumberFormatException e) { /* beyond long: read it as a double below */ }
            }
            double d;
            try { d = Double.parseDouble(num); }
            catch (NumberFormatException e) { throw error("malformed number"); }
            // 1e400 parses as Infinity: refused, so no reader gets a non-finite value it did not ask for
            if (!Double.isFinite(d)) throw error("number out of the double range");
            i += num.length();
            return d;
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (peek() != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = peek();
                    i++;
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (i + 4 > s.length()) throw error("unexpected end");
                            int cp = 0;
                            for (int k = 0; k < 4; k++) {
                                char ch = s.charAt(i + k);
                                int h = ch < 128 ? Character.digit(ch, 16) : -1;
                                if (h < 0) throw error("bad \\u escape");
                                cp = 16 * cp + h;
                            }
                            b.append((char) cp);
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else b.append(c);
            }
            i++;
            return b.toString();
        }

        void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) throw error("expected '" + c + "'");
            i++;
        }
    }
}
