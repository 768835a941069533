package sivi.diffusion;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 8×8 handwritten digits (UCI optdigits test part, CC BY 4.0, via Debian python3-sklearn; see
 * the README next to the resource): 1797 images, pixels 0..16 scaled to [−1, 1] as p/8 − 1.
 * <p>As implemented: docs/targets.md#digits.
 */
public record Digits(double[][] images, int[] labels) {
    public static final int SIDE = 8, PIXELS = 64;

    public static Digits load() {
        try (InputStream in = Digits.class.getResourceAsStream("/sivi/data/digits8x8.csv")) {
            if (in == null) throw new IllegalStateException("resource sivi/data/digits8x8.csv is missing from the class path (it ships in the sivi-datasets jar)");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            List<double[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                if (f.length != PIXELS + 1) throw new IllegalStateException("digits8x8.csv: row " + (xs.size() + 1) + " has " + f.length + " fields, expected 65");
                double[] x = new double[PIXELS];
                for (int j = 0; j < PIXELS; j++) x[j] = Integer.parseInt(f[j].trim()) / 8.0 - 1;
                xs.add(x);
                ys.add(Integer.parseInt(f[PIXELS].trim()));
            }
            return new Digits(xs.toArray(new double[0][]), ys.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() { return images.length; }

    public DataTarget target() { return DataTarget.ofRows("digits8x8", images); }
}
