package sivi.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import sivi.autodiff.GradMode;
import sivi.autodiff.Var;
import sivi.fit.TensorFile;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

/**
 * A distilled few-step sampler (the output of HSIVI-SM or CoSIM): x_{top} ~ N(0, I), then the
 * learned layers q_φ(x_{i} | x_{i+1}) of {@link Layer} down the grid, ξ = 0 on the last step (HSIVI
 * sampling code). Usable like a family: {@link #sample(Rng, int)}.
 *
 * <p>An HSIVI sampler (network with one time input) is trained for its own grid only; a CoSIM
 * sampler (network with inputs (x_t, t, s)) can be run on any grid with {@link #sample(Rng, int, TimeGrid)}.
 *
 * <p>Saved format: a {@link sivi.fit.TensorFile} with metadata {@code format = sivi-few-step-sampler},
 * {@code method}, {@code beta_start}, {@code beta_end}, {@code steps} (linear schedule), {@code grid}
 * (kind), {@code grid_times} (comma-separated), {@code eta}, the network description
 * {@code net.*} ({@link EpsNet#meta}), and the arrays "phi.{i}.weight/bias" and "gamma" (1×d).
 * <p>As implemented: docs/algorithms.md#hsivi-sm.
 */
public record FewStepSampler(String method, EpsNet phi, Params params, NoiseSchedule schedule, double betaStart, double betaEnd,
                             TimeGrid grid, double eta) {

    public int dim() { return phi.dim(); }

    public Tensor sample(Rng rng, int n) { return sample(rng, n, grid); }

    /** n draws with the layers run on grid g (NFE = g.levels() − 1). */
    public Tensor sample(Rng rng, int n, TimeGrid g) {
        DType dt = params.get("gamma").dtype();
        Tensor x = rng.normal(dt, n, dim());
        for (int i = g.levels() - 1; i >= 1; i--) x = step(x, g.at(i), g.at(i - 1), i == 1 ? Tensor.zeros(dt, n, dim()) : rng.normal(dt, n, dim()));
        return x;
    }

    /** One layer from time t to s for all rows with the given ξ. */
    public Tensor step(Tensor x, double t, double s, Tensor xi) {
        int n = x.dim(0);
        double[] tt = new double[n], ss = new double[n];
        Arrays.fill(tt, t); Arrays.fill(ss, s);
        Layer layer = Layer.of(schedule, tt, ss, eta, x.dtype());
        return GradMode.noGrad(() -> {
            Params.Bound p = params.bind(k -> false);
            Var eps = phi.times() == 1 ? phi.forward(p, Var.constant(x), tt) : phi.forward(p, Var.constant(x), tt, ss);
            return layer.sample(Var.constant(x), eps, p.get("gamma"), xi)[0].value();
        });
    }

    public void save(Path path) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "sivi-few-step-sampler");
        meta.put("method", method);
        meta.put("beta_start", Double.toString(betaStart));
        meta.put("beta_end", Double.toString(betaEnd));
        meta.put("steps", Integer.toString(schedule.steps()));
        meta.put("grid", grid.kind());
        StringBuilder b = new StringBuilder();
        for (double v : grid.t()) b.append(b.isEmpty() ? "" : ",").append(v);
        meta.put("grid_times", b.toString());
        meta.put("eta", Double.toString(eta));
        meta.putAll(phi.meta("net"));
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (String k : phi.paramNames()) arrays.put(k, params.get(k));
        arrays.put("gamma", params.get("gamma"));
        TensorFile.write(path, meta, arrays);
    }

    public static FewStepSampler load(Path path) throws IOException {
        TensorFile.Contents c = TensorFile.read(path);
        Map<String, String> m = c.meta();
        if (!"sivi-few-step-sampler".equals(m.get("format"))) throw new IOException(path + ": not a few-step sampler (format " + m.get("format") + ")");
        EpsNet net = EpsNet.fromMeta(m, "net");
        Params p = new Params();
        for (String k : net.paramNames()) p.put(k, require(c, k, path));
        p.put("gamma", require(c, "gamma", path));
        double[] t = Arrays.stream(m.get("grid_times").split(",")).mapToDouble(Double::parseDouble).toArray();
        double b0 = Double.parseDouble(m.get("beta_start")), b1 = Double.parseDouble(m.get("beta_end"));
        return new FewStepSampler(m.get("method"), net, p, NoiseSchedule.linear(b0, b1, Integer.parseInt(m.get("steps"))), b0, b1,
                new TimeGrid(m.get("grid"), t), Double.parseDouble(m.get("eta")));
    }

    private static Tensor require(TensorFile.Contents c, String k, Path path) throws IOException {
        Tensor t = c.arrays().get(k);
        if (t == null) throw new IOException(path + ": missing array " + k);
        return t;
    }
}
