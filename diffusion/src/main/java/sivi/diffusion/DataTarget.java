package sivi.diffusion;

import java.util.Optional;
import java.util.function.BiFunction;
import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A data distribution known only through samples, as a {@link Target} whose {@link #exactSample}
 * draws training data (a generator, or rows of a finite data set drawn with replacement). This lets
 * teacher training and CoSIM run through the one {@link sivi.fit.Trainer} protocol unchanged. It has
 * no density: {@link #logDensity} throws.
 */
public final class DataTarget implements Target {
    private final String name;
    private final int dim;
    private final BiFunction<Rng, Integer, double[][]> draw;
    private final double[] box;

    public DataTarget(String name, int dim, BiFunction<Rng, Integer, double[][]> draw, double[] plotBox) {
        this.name = name; this.dim = dim; this.draw = draw; this.box = plotBox.clone();
    }

    public static DataTarget of(Toy2d data) { return new DataTarget(data.label(), 2, data::sample, new double[] {-4, 4, -4, 4}); }

    /** Rows of a finite data set, resampled uniformly with replacement. */
    public static DataTarget ofRows(String name, double[][] rows) {
        int d = rows[0].length;
        return new DataTarget(name, d, (rng, n) -> {
            double[][] out = new double[n][];
            for (int i = 0; i < n; i++) out[i] = rows[rng.nextInt(rows.length)].clone();
            return out;
        }, new double[] {-1, 1, -1, 1});
    }

    @Override public String name() { return name; }
    @Override public int dim() { return dim; }
    @Override public boolean isNormalised() { return false; }

    @Override public Var logDensity(Var x) {
        throw new UnsupportedOperationException(name + " is a data set known only through samples; it has no log-density");
    }

    @Override public Optional<Tensor> exactSample(Rng rng, int n) { return Optional.of(Arrays2.toTensor(draw.apply(rng, n), DType.F64)); }

    public double[][] sampleRows(Rng rng, int n) { return draw.apply(rng, n); }

    @Override public double[] plotBox() { return box.clone(); }
}
