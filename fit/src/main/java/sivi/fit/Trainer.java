package sivi.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * The one training loop every method shares: runs {@link Session#step}, records the trace,
 * reports progress, stops on a non-finite objective or gradient with a message naming the
 * iteration (keeping the last good checkpoint), checkpoints atomically, and resumes.
 *
 * <p>Reproducibility: init draws from {@code Rng.of(seed, 0)} and iteration i from
 * {@code Rng.of(seed, i + 1)}, so a resumed run continues bit-identically for a fixed seed, dtype,
 * backend and thread count.
 */
public final class Trainer {
    private Trainer() {}

    public static Fit fit(Method method, Target target, Options options, FitConfig cfg, Progress progress) {
        try (Backend backend = Backends.create(cfg.backend(), cfg.threads(), cfg.device())) {
            return Kernels.with(backend, () -> run(method, target, options, cfg, progress, backend));
        }
    }

    private static Fit run(Method method, Target target, Options given, FitConfig cfg, Progress progress, Backend backend) throws IOException {
        // a registered method's options are checked against its schema (unknown keys, types, read-site defaults)
        Options options = Registry.find(method.name()).map(d -> d.validate(given)).orElse(given);
        Session session = method.init(target, options, cfg.dtype(), Rng.of(cfg.seed(), 0));
        if (!options.unread().isEmpty())
            throw new IllegalArgumentException("method " + method.name() + " does not take option(s) " + options.unread());
        TrainState state = session.state();
        state.setSkipNonFinite(cfg.skipNonFinite());

        int start = 0;
        if (cfg.resume() && cfg.checkpoint() != null && Files.exists(cfg.checkpoint())) {
            TensorFile.Contents c = TensorFile.read(cfg.checkpoint());
            checkCompatible(c.meta(), method, target, cfg);
            state.restore(c.arrays());
            start = Integer.parseInt(c.meta().get("iteration"));
            progress.note("resumed from " + cfg.checkpoint() + " at iteration " + start);
        }

        int n = Math.max(0, cfg.iterations() - start);
        int[] its = new int[n];
        double[] obj = new double[n], el = new double[n];
        Map<String, double[]> extras = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        int lastCheckpoint = start;
        for (int k = 0; k < n; k++) {
            int it = start + k;
            StepInfo info = session.step(target, it, Rng.of(cfg.seed(), it + 1L));
            if (!Double.isFinite(info.objective()) && !cfg.skipNonFinite())
                throw new NonFiniteException(it, "objective", "value " + info.objective() + lastGood(cfg, lastCheckpoint, start));
            state.afterStep();
            its[k] = it;
            obj[k] = info.objective();
            el[k] = (System.nanoTime() - t0) / 1e9;
            for (var e : info.extras().entrySet()) extras.computeIfAbsent(e.getKey(), x -> new double[n])[k] = e.getValue();
            progress.iteration(it + 1, cfg.iterations(), info.objective(), el[k]);
            if (cfg.checkpoint() != null && cfg.checkpointEvery() > 0 && (it + 1) % cfg.checkpointEvery() == 0 && it + 1 < cfg.iterations()) {
                saveCheckpoint(cfg, method, target, state, it + 1);
                lastCheckpoint = it + 1;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (cfg.checkpoint() != null) saveCheckpoint(cfg, method, target, state, Math.max(start, cfg.iterations()));
        Tensor samples = session.sample(Rng.of(cfg.seed(), Long.MAX_VALUE / 2), cfg.draws());
        return new Fit(method.name(), target.name(), target.names(), samples, new Fit.Trace(its, obj, el, extras),
                state.evaluationParams().copy(), options, cfg, backend.name(), backend.threads(), wall, start, session);
    }

    private static String lastGood(FitConfig cfg, int lastCheckpoint, int start) {
        if (cfg.checkpoint() == null) return " (no checkpoint configured)";
        return lastCheckpoint > start || cfg.resume() ? "; last good checkpoint: " + cfg.checkpoint() + " at iteration " + lastCheckpoint : " (no checkpoint written yet)";
    }

    private static void saveCheckpoint(FitConfig cfg, Method method, Target target, TrainState state, int iteration) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "sivi-checkpoint");
        meta.put("method", method.name());
        meta.put("target", target.name());
        meta.put("iteration", Integer.toString(iteration));
        meta.put("seed", Long.toString(cfg.seed()));
        meta.put("dtype", cfg.dtype().label());
        try {
            TensorFile.write(cfg.checkpoint(), meta, state.snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + cfg.checkpoint() + ": " + e.getMessage(), e);
        }
    }

    private static void checkCompatible(Map<String, String> meta, Method method, Target target, FitConfig cfg) {
        List<String> bad = new ArrayList<>();
        if (!method.name().equals(meta.get("method"))) bad.add("method " + meta.get("method") + " vs " + method.name());
        if (!target.name().equals(meta.get("target"))) bad.add("target " + meta.get("target") + " vs " + target.name());
        if (!Long.toString(cfg.seed()).equals(meta.get("seed"))) bad.add("seed " + meta.get("seed") + " vs " + cfg.seed());
        if (!cfg.dtype().label().equals(meta.get("dtype"))) bad.add("dtype " + meta.get("dtype") + " vs " + cfg.dtype().label());
        if (!bad.isEmpty()) throw new IllegalArgumentException("checkpoint " + cfg.checkpoint() + " was written by a different run: " + String.join(", ", bad));
    }
}
