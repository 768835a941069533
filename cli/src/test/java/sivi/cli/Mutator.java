package sivi.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Damages a valid input file the ways files get damaged or mistaken in practice, for the reader
 * fuzz suite: truncation at any length, flipped bits and bytes, inserted, deleted and duplicated
 * ranges, a number replaced by an extreme or non-finite spelling, the text re-encoded (UTF-16,
 * Latin-1, a BOM), ragged rows, only the first line, an empty file, empty or duplicated column
 * names, and stray structural characters. One to three damages per file. Text operations work on
 * the bytes read as Latin-1 (one char per byte), so they apply to binary formats too.
 */
final class Mutator {
    private Mutator() {}

    /** Spellings of numbers that readers get wrong: overflow, underflow, non-finite, beyond int/long, hex, empty. */
    static final List<String> NASTY_NUMBERS = List.of("1e308", "-1e308", "1e400", "-1e400", "1e-400", "-0", "NaN", "nan", "Infinity", "-inf",
            "99999999999999999999", "2147483648", "-2147483649", "-1", "0", "0x1p3", "1.5f", "", " ", "1,2", "1e", ".", "--1");
    private static final List<String> TOKENS = List.of("\"", "[", "]", "{", "}", ":", ",", "\n", "\r\n", "\r", "\\", "\\u12", "null", "true", "#", "__", "\u0000");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?");

    static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid;
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) b = once(b, r);
        return b;
    }

    private static byte[] once(byte[] b, Random r) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int len = b.length;
        switch (r.nextInt(13)) {
            case 0 -> { return java.util.Arrays.copyOf(b, len == 0 ? 0 : r.nextInt(len + 1)); }   // truncate
            case 1 -> { if (len > 0) { b = b.clone(); b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8)); } return b; }
            case 2 -> { if (len > 0) { b = b.clone(); b[r.nextInt(len)] = (byte) r.nextInt(256); } return b; }
            case 3 -> {   // insert random bytes
                byte[] ins = new byte[1 + r.nextInt(8)];
                r.nextBytes(ins);
                return splice(s, r.nextInt(len + 1), 0, new String(ins, StandardCharsets.ISO_8859_1));
            }
            case 4 -> { int at = r.nextInt(len + 1); return splice(s, at, r.nextInt(len - at + 1), ""); }   // delete a range
            case 5 -> { int at = r.nextInt(len + 1), l = r.nextInt(Math.min(len - at, 200) + 1); return splice(s, at, 0, s.substring(at, at + l)); }
            case 6 -> {   // a number token becomes an extreme or non-finite spelling
                List<int[]> spans = spans(NUMBER.matcher(s));
                if (spans.isEmpty()) return b;
                int[] sp = spans.get(r.nextInt(spans.size()));
                return splice(s, sp[0], sp[1] - sp[0], NASTY_NUMBERS.get(r.nextInt(NASTY_NUMBERS.size())));
            }
            case 7 -> {   // wrong encoding: the text decoded as UTF-8 and re-encoded
                String text = new String(b, StandardCharsets.UTF_8);
                Charset[] cs = {StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.ISO_8859_1};
                return switch (r.nextInt(5)) {
                    case 4 -> ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
                    default -> text.getBytes(cs[r.nextInt(cs.length)]);
                };
            }
            case 8 -> {   // ragged row: a comma added to or removed from one line
                List<int[]> lines = spans(Pattern.compile("[^\n]+").matcher(s));
                if (lines.isEmpty()) return b;
                int[] line = lines.get(r.nextInt(lines.size()));
                int comma = s.indexOf(',', line[0]);
                if (r.nextBoolean() && comma >= 0 && comma < line[1]) return splice(s, comma, 1, "");
                return splice(s, line[0] + r.nextInt(line[1] - line[0] + 1), 0, ",");
            }
            case 9 -> { int nl = s.indexOf('\n'); return nl < 0 ? b : java.util.Arrays.copyOf(b, nl + 1); }   // only the first line
            case 10 -> { return new byte[0]; }
            case 11 -> {   // a column name emptied, or made equal to its neighbour
                int nl = s.indexOf('\n');
                String head = nl < 0 ? s : s.substring(0, nl);
                String[] cells = head.split(",", -1);
                if (cells.length < 2) return b;
                int c = 1 + r.nextInt(cells.length - 1);
                cells[c] = r.nextBoolean() ? "" : cells[c - 1];
                return splice(s, 0, head.length(), String.join(",", cells));
            }
            default -> { return splice(s, r.nextInt(len + 1), 0, TOKENS.get(r.nextInt(TOKENS.size()))); }
        }
    }

    private static List<int[]> spans(Matcher m) {
        List<int[]> out = new ArrayList<>();
        while (m.find()) out.add(new int[] {m.start(), m.end()});
        return out;
    }

    /** s with {@code remove} chars at {@code at} replaced by {@code insert}, back to bytes one char per byte (chars above 0xFF as UTF-8). */
    private static byte[] splice(String s, int at, int remove, String insert) {
        String t = s.substring(0, at) + insert + s.substring(at + remove);
        byte[] out = new byte[t.length()];
        boolean latin1 = true;
        for (int i = 0; i < t.length(); i++) { char c = t.charAt(i); if (c > 0xFF) { latin1 = false; break; } out[i] = (byte) c; }
        return latin1 ? out : t.getBytes(StandardCharsets.UTF_8);
    }
}
