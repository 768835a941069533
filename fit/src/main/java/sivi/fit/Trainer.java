package sivi.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.data.Json;
import sivi.kernels.Backend;
import sivi.kernels.Backends;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.EngineException;
import sivi.targets.Target;
import sivi.tensor.Tensor;

/**
 * The one training loop every method shares: runs {@link Session#step}, records the trace,
 * reports progress, stops on a non-finite objective or gradient with a message naming the
 * iteration (keeping the last good checkpoint), checkpoints atomically, and resumes.
 *
 * <p>Reproducibility: init draws from {@code Rng.of(seed, 0)} and iteration i from
 * {@code Rng.of(seed, i + 1)}, and a data target's rows of iteration i are {@code target.batch(seed, i)}, so a
 * resumed run continues bit-identically for a fixed seed, dtype, backend and thread count.
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
        double[] stopMemory = null;   // the stop rule's look-back, as the checkpoint holds it
        String stoppedBefore = null;  // why the checkpointed run ended early, if it did
        String history = "[]";   // option changes at earlier resumes, as JSON: [{"iteration": i, "changed": {key: [old, new]}}]
        if (cfg.resume() && cfg.checkpoint() != null) {
            if (!Files.exists(cfg.checkpoint()))
                throw new IllegalArgumentException("nothing to resume: there is no checkpoint " + cfg.checkpoint() + " (start a new run without --resume)");
            TensorFile.Contents c = TensorFile.read(cfg.checkpoint());
            checkCompatible(c.meta(), method, target, options, cfg);
            start = Integer.parseInt(c.meta().get("iteration"));
            if (cfg.iterations() < start)
                throw new IllegalArgumentException("the checkpoint " + cfg.checkpoint() + " is at iteration " + start + "; resuming to " + cfg.iterations()
                        + " iterations would go back (ask for at least " + start + ", or start a new run)");
            state.restore(c.arrays());
            Tensor mem = c.arrays().get(STOP_MEMORY);
            if (mem != null) stopMemory = mem.toDoubleArray();
            stoppedBefore = c.meta().get("stopped");
            Map<String, String[]> changed = changedOptions(c.meta(), options);
            history = c.meta().getOrDefault("history", "[]");
            if (!changed.isEmpty()) {
                @SuppressWarnings("unchecked") List<Object> h = new ArrayList<>((List<Object>) Json.parse(history));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("iteration", start);
                Map<String, Object> ch = new LinkedHashMap<>();
                changed.forEach((k, v) -> ch.put(k, List.of(v[0], v[1])));
                entry.put("changed", ch);
                h.add(entry);
                history = Json.write(h);
            }
            progress.resumed(start);
            progress.note("resumed from " + cfg.checkpoint() + " at iteration " + start
                    + (changed.isEmpty() ? "" : " with " + String.join(", ", changed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + " → " + e.getValue()[1]).toList())));
        }

        StopRule rule = cfg.stop();
        // the objectives the stop rule looks back on, oldest first (restored from the checkpoint on resume)
        Recent recent = new Recent(rule.memory(), stopMemory);
        // a run that already ended on its stop rule has nothing to continue unless the rule is switched off
        String stopReason = rule.enabled() ? stoppedBefore : null;
        if (stopReason != null) progress.note("the run already stopped at iteration " + start + ": " + stopReason + " (resume with the stop rule off to go on)");
        int n = stopReason != null ? 0 : Math.max(0, cfg.iterations() - start);
        int[] its = new int[n];
        double[] obj = new double[n], el = new double[n];
        Map<String, double[]> extras = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        int lastCheckpoint = start, done = 0;
        for (int k = 0; k < n; k++) {
            int it = start + k;
            StepInfo info;
            try {
                info = session.step(target.batch(cfg.seed(), it), it, Rng.of(cfg.seed(), it + 1L));
                if (!Double.isFinite(info.objective()) && !cfg.skipNonFinite())
                    throw new NonFiniteException(it, "objective", "value " + info.objective());
                state.afterStep();
            } catch (NonFiniteException e) {
                throw new NonFiniteException(e.iteration(), e.quantity(), e.detail() + lastGood(cfg, lastCheckpoint, start));
            } catch (EngineException e) {   // a data engine gave up (after its own retries): stop as for a non-finite step
                throw new EngineException("iteration " + it + ": " + e.getMessage() + lastGood(cfg, lastCheckpoint, start), e.getCause());
            }
            its[k] = it;
            obj[k] = info.objective();
            el[k] = (System.nanoTime() - t0) / 1e9;
            for (var e : info.extras().entrySet()) extras.computeIfAbsent(e.getKey(), x -> new double[n])[k] = e.getValue();
            done = k + 1;
            progress.iteration(it + 1, cfg.iterations(), info.objective(), el[k]);
            recent.add(info.objective());
            if (rule.checksAt(it + 1) && recent.full()) {
                stopReason = rule.test(recent.values()).orElse(null);
                if (stopReason != null) break;
            }
            if (cfg.checkpoint() != null && cfg.checkpointEvery() > 0 && (it + 1) % cfg.checkpointEvery() == 0 && it + 1 < cfg.iterations()) {
                saveCheckpoint(cfg, method, target, options, history, state, it + 1, recent, null);
                lastCheckpoint = it + 1;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        int end = start + done;
        if (done < n) {   // stopped early: the trace holds the iterations that ran
            its = java.util.Arrays.copyOf(its, done); obj = java.util.Arrays.copyOf(obj, done); el = java.util.Arrays.copyOf(el, done);
            for (var e : extras.entrySet()) e.setValue(java.util.Arrays.copyOf(e.getValue(), done));
        }
        if (cfg.checkpoint() != null) saveCheckpoint(cfg, method, target, options, history, state, end, recent, stopReason);
        Tensor samples = session.sample(Rng.of(cfg.seed(), Long.MAX_VALUE / 2), cfg.draws());
        return new Fit(method.name(), target.name(), target.names(), samples, new Fit.Trace(its, obj, el, extras),
                state.evaluationParams().copy(), options, cfg, backend.name(), backend.threads(), wall, start,
                stopReason != null ? stopReason : "iteration budget reached", session);
    }

    /** The last {@code capacity} objectives, oldest first. */
    private static final class Recent {
        private final double[] v;
        private int size;

        Recent(int capacity, double[] restored) {
            v = new double[capacity];
            if (restored != null) for (double x : restored) add(x);
        }

        void add(double x) {
            if (v.length == 0) return;
            if (size == v.length) System.arraycopy(v, 1, v, 0, size - 1);
            else size++;
            v[size - 1] = x;
        }

        boolean full() { return size == v.length; }

        double[] values() { return java.util.Arrays.copyOf(v, size); }
    }

    private static String lastGood(FitConfig cfg, int lastCheckpoint, int start) {
        if (cfg.checkpoint() == null) return " (no checkpoint configured)";
        return lastCheckpoint > start || cfg.resume() ? "; last good checkpoint: " + cfg.checkpoint() + " at iteration " + lastCheckpoint : " (no checkpoint written yet)";
    }

    /** The checkpoint array holding the stop rule's look-back (ignored by {@link TrainState#restore}). */
    static final String STOP_MEMORY = "trainer/recent_objectives";

    private static void saveCheckpoint(FitConfig cfg, Method method, Target target, Options options, String history, TrainState state,
                                       int iteration, Recent recent, String stopped) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "sivi-checkpoint");
        meta.put("method", method.name());
        meta.put("target", target.name());
        meta.put("iteration", Integer.toString(iteration));
        meta.put("seed", Long.toString(cfg.seed()));
        meta.put("dtype", cfg.dtype().label());
        meta.put("options", Json.write(new java.util.TreeMap<>(options.asMap())));
        if (!history.equals("[]")) meta.put("history", history);
        if (stopped != null) meta.put("stopped", stopped);
        Map<String, Tensor> arrays = state.snapshot();
        double[] mem = recent.values();
        if (mem.length > 0) {
            arrays = new LinkedHashMap<>(arrays);
            arrays.put(STOP_MEMORY, Tensor.of(mem, mem.length));
        }
        try {
            TensorFile.write(cfg.checkpoint(), meta, arrays);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + cfg.checkpoint() + ": " + e.getMessage(), e);
        }
    }

    /** A resume must continue the same run: same method, target, seed, dtype and hyper-parameters. */
    private static void checkCompatible(Map<String, String> meta, Method method, Target target, Options options, FitConfig cfg) {
        List<String> bad = new ArrayList<>();
        if (!method.name().equals(meta.get("method"))) bad.add("method " + meta.get("method") + " vs " + method.name());
        if (!target.name().equals(meta.get("target"))) bad.add("target " + meta.get("target") + " vs " + target.name());
        if (!Long.toString(cfg.seed()).equals(meta.get("seed"))) bad.add("seed " + meta.get("seed") + " vs " + cfg.seed());
        if (!cfg.dtype().label().equals(meta.get("dtype"))) bad.add("dtype " + meta.get("dtype") + " vs " + cfg.dtype().label());
        for (var c : changedOptions(meta, options).entrySet())
            if (!mayChangeOnResume(c.getKey())) bad.add("option " + c.getKey() + " " + c.getValue()[0] + " vs " + c.getValue()[1]);
        if (!bad.isEmpty()) throw new IllegalArgumentException("checkpoint " + cfg.checkpoint() + " was written by a different run: " + String.join(", ", bad)
                + " (only step sizes, lr and lr_*, may change on --resume)");
    }

    /**
     * Step sizes may change when a run resumes (the usual cure for a run that diverged); everything
     * else would make the resumed run a different one.
     */
    static boolean mayChangeOnResume(String key) { return key.equals("lr") || key.startsWith("lr_"); }

    /** key → {value in the checkpoint, value now} for every option that differs ("(unset)" where absent). */
    static Map<String, String[]> changedOptions(Map<String, String> meta, Options options) {
        Map<String, String[]> changed = new java.util.TreeMap<>();
        if (!meta.containsKey("options")) return changed;   // checkpoints before session 6 did not record them
        @SuppressWarnings("unchecked") Map<String, Object> was = (Map<String, Object>) Json.parse(meta.get("options"));
        Map<String, String> now = options.asMap();
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(was.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            String a = was.containsKey(k) ? String.valueOf(was.get(k)) : "(unset)", b = now.getOrDefault(k, "(unset)");
            if (!a.equals(b)) changed.put(k, new String[] {a, b});
        }
        return changed;
    }
}
