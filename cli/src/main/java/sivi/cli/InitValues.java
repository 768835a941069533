package sivi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sivi.data.Json;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * {@code sivi mcmc --init FILE.json}: an initial point given as CmdStan takes one, a JSON object of
 * constrained values by name. A key is an output name of the target ({@code "x1"}, {@code "theta[2]"},
 * {@code "tau"}) or the base of indexed names with a (nested) array in index order
 * ({@code "theta": [0.1, 0.2]}, {@code "Sigma": [[1, 0], [0, 1]]}); values go back to the sampling
 * space through {@link Target#unconstrain}. Transformed parameters may be left out when the
 * parameters determine the point. Every problem is one line naming the file.
 */
final class InitValues {
    private InitValues() {}

    private static final Pattern INDEXED = Pattern.compile("([^\\[\\]]+)\\[([0-9]+(?:\\s*,\\s*[0-9]+)*)]");

    /** The point in the target's sampling space (length dim). */
    static double[] read(Path file, Target target) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(file));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Main.UserFailure("--init " + file + ": not valid JSON (" + Main.oneLine(e.getMessage()) + ")", e);
        }
        if (!(parsed instanceof Map<?, ?> given)) throw new Main.UserFailure("--init " + file + ": expected a JSON object of parameter values by name");
        List<String> names = target.outputNames();
        // base name → smallest index per position (Stan's are 1-based; a target's own may start at 0)
        Map<String, int[]> base = new HashMap<>();
        for (String n : names) {
            Matcher m = INDEXED.matcher(n);
            if (!m.matches()) continue;
            int[] idx = indices(m.group(2));
            base.merge(m.group(1), idx, (a, b) -> { int[] c = a.clone(); for (int i = 0; i < Math.min(a.length, b.length); i++) c[i] = Math.min(a[i], b[i]); return c; });
        }
        Set<String> unknown = new TreeSet<>();
        for (Object k : given.keySet()) if (!names.contains(k) && !base.containsKey(k)) unknown.add(String.valueOf(k));
        if (!unknown.isEmpty()) throw new Main.UserFailure("--init " + file + ": unknown name(s) " + unknown + " for target " + target.name() + " (accepted: " + accepted(names, base) + ")");

        double[] y = new double[names.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            String n = names.get(j);
            Object v = given.get(n);
            Matcher m = INDEXED.matcher(n);
            if (v == null && m.matches() && given.containsKey(m.group(1))) v = element(file, m.group(1), given.get(m.group(1)), indices(m.group(2)), base.get(m.group(1)));
            if (v == null) { y[j] = Double.NaN; missing.add(n); continue; }
            if (!(v instanceof Number num) || !Double.isFinite(num.doubleValue()))
                throw new Main.UserFailure("--init " + file + ": the value of " + n + " is not a finite number: " + Json.write(v).strip());
            y[j] = num.doubleValue();
        }
        String gap = missing.isEmpty() ? "" : "; no value was given for " + missing + " (give every parameter: " + accepted(names, base) + ")";
        double[] x;
        try {
            x = target.unconstrain(Tensor.of(DType.F64, y, 1, y.length)).toDoubleArray();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Main.UserFailure("--init " + file + ": " + Main.oneLine(e.getMessage()) + gap, e);
        }
        for (double v : x)
            if (!Double.isFinite(v))
                throw new Main.UserFailure("--init " + file + ": " + (missing.isEmpty() ? "a value is outside its parameter's support" : gap.substring(2)));
        return x;
    }

    private static int[] indices(String s) {
        String[] p = s.split(",");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) r[i] = Integer.parseInt(p[i].trim());
        return r;
    }

    /** Element idx (minus the base's first index) of a nested array. */
    private static Object element(Path file, String name, Object array, int[] idx, int[] first) {
        Object v = array;
        StringBuilder path = new StringBuilder(name);
        for (int i = 0; i < idx.length; i++) {
            int k = idx[i] - first[i];
            if (!(v instanceof List<?> list) || k >= list.size())
                throw new Main.UserFailure("--init " + file + ": " + name + " must be an array with an element for " + name + idx(idx, first)
                        + " (index " + idx[i] + (first[i] == 1 ? ", 1-based" : "") + ")");
            v = list.get(k);
            path.append('[').append(k).append(']');
        }
        if (v instanceof List<?>) throw new Main.UserFailure("--init " + file + ": " + path + " is an array, expected a number");
        return v;
    }

    private static String idx(int[] idx, int[] first) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < idx.length; i++) b.append(i == 0 ? "" : ",").append(idx[i]);
        return b.append(']').toString();
    }

    private static String accepted(List<String> names, Map<String, int[]> base) {
        Set<String> a = new LinkedHashSet<>();
        for (String n : names) { Matcher m = INDEXED.matcher(n); a.add(m.matches() ? m.group(1) : n); }
        String s = String.join(", ", a);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
