package sivi.spark;

import java.io.Serializable;
import sivi.targets.RowModel;
import sivi.targets.Target;

/**
 * One partition's rows, as the cached data set holds them: prepared inputs [m][k] and responses [m].
 * The likelihood on all of them is built once per executor and kept (it caches its own dtype and
 * transposed copies of the design), so a full-data step costs no allocation beyond the particles.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final double[][] x;
    final double[] y;
    private transient volatile Target likelihood;

    Block(int index, double[][] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " input rows but " + y.length + " responses");
        this.index = index; this.x = x; this.y = y;
    }

    int rows() { return y.length; }

    /** s Σ ℓ over every row of this block with s = 1, built on first use on the executor that holds it. */
    Target likelihood(RowModel model) {
        Target t = likelihood;
        if (t == null) likelihood = t = model.likelihood(x, y, 1);
        return t;
    }
}
