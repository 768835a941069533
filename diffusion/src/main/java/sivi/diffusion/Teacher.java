package sivi.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import sivi.fit.TensorFile;
import sivi.nn.Params;
import sivi.tensor.Tensor;

/**
 * A trained DDPM noise-prediction model ε_θ(x, t) with its forward schedule: the frozen teacher of
 * the samplers and of HSIVI/CoSIM distillation.
 *
 * <p>Saved format: a {@link TensorFile} with metadata {@code format = sivi-ddpm-teacher},
 * {@code schedule = linear}, {@code beta_start}, {@code beta_end}, {@code steps}, the network
 * description {@code net.prefix/dim/emb/times/hidden/depth/act} (see {@link EpsNet#meta}), and one
 * array per network parameter under its own name ("eps.0.weight", in×out, …), in the EMA weights.
 */
public record Teacher(EpsNet net, Params params, NoiseSchedule schedule, double betaStart, double betaEnd) implements EpsModel {

    public static Teacher linearSchedule(EpsNet net, Params params, double betaStart, double betaEnd, int steps) {
        return new Teacher(net, params, NoiseSchedule.linear(betaStart, betaEnd, steps), betaStart, betaEnd);
    }

    public int dim() { return net.dim(); }

    @Override public Tensor eps(Tensor x, double[] t) { return net.eval(params, x, t); }

    public void save(Path path) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "sivi-ddpm-teacher");
        meta.put("schedule", "linear");
        meta.put("beta_start", Double.toString(betaStart));
        meta.put("beta_end", Double.toString(betaEnd));
        meta.put("steps", Integer.toString(schedule.steps()));
        meta.putAll(net.meta("net"));
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (String k : net.paramNames()) arrays.put(k, params.get(k));
        TensorFile.write(path, meta, arrays);
    }

    public static Teacher load(Path path) throws IOException {
        TensorFile.Contents c = TensorFile.read(path);
        if (!"sivi-ddpm-teacher".equals(c.meta().get("format"))) throw new IOException(path + ": not a DDPM teacher (format " + c.meta().get("format") + ")");
        EpsNet net = EpsNet.fromMeta(c.meta(), "net");
        Params p = new Params();
        for (String k : net.paramNames()) {
            Tensor t = c.arrays().get(k);
            if (t == null) throw new IOException(path + ": missing weight " + k);
            p.put(k, t);
        }
        return linearSchedule(net, p, Double.parseDouble(c.meta().get("beta_start")), Double.parseDouble(c.meta().get("beta_end")), Integer.parseInt(c.meta().get("steps")));
    }
}
