package sivi.diffusion.repro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sivi.diffusion.DataTarget;
import sivi.diffusion.Distillation;
import sivi.diffusion.FewStepSampler;
import sivi.diffusion.Samplers;
import sivi.diffusion.Teacher;
import sivi.diffusion.TimeGrid;
import sivi.diffusion.Toy2d;
import sivi.diffusion.eval.Figures;
import sivi.diffusion.eval.KnnKl;
import sivi.diffusion.eval.Mmd;
import sivi.diffusion.eval.SampleMetric;
import sivi.diffusion.eval.SlicedWasserstein;
import sivi.repro.PaperValue;
import sivi.repro.ResultFiles;
import sivi.fit.Options;
import sivi.kernels.Rng;
import sivi.tensor.Tensor;

/**
 * Reproduction on 2-D toy data (HSIVI, Yu et al. 2023, diffusion acceleration at NFE 5/10/15,
 * transposed to the toy sets of docs/targets.md#diffusion-toy-data): per data set, train a DDPM teacher, then compare
 * DDPM ancestral (1000 steps), DDIM (η = 0 and η = √0.2), DPM-Solver-2, HSIVI-SM (one model per NFE)
 * and CoSIM (one model, all NFE) by MMD², sliced W₂ and k-NN KL against fresh data.
 * Writes result.json, figure.png, and the teachers and distilled samplers (TensorFile) to outDir.
 */
public final class Hsivi2d {
    private Hsivi2d() {}

    static final int[] NFES = {5, 10, 15};

    public static void main(String[] args) throws IOException {
        boolean quick = args.length > 0 && args[0].equals("quick");
        run(quick, Path.of(args.length > 1 ? args[1] : "out/hsivi-2d"));
    }

    /**
     * Measured on 2 shared cores (simd backend, one thread): quick 2.5–3.5 min, full 23 min. Both use the HSIVI
     * recipe's f_learning_times = 20.
     */
    static Common.Budget budget(boolean quick) {
        Options teacher = Options.of("hidden", quick ? "128" : "256", "depth", "3", "batch", "256", "lr", "1e-3",
                "lr_step", quick ? "4000" : "10000", "lr_gamma", "0.5", "ema", "0.999");
        Options distill = Options.of("batch", "128", "lr_phi", quick ? "1e-4" : "5e-5", "lr_f", "1e-3", "lr_warmup", "100", "lr_step", "3000",
                "f_learning_times", "20");
        return quick ? new Common.Budget(8000, 2000, 4000, 1000, teacher, distill) : new Common.Budget(30000, 10000, 20000, 2000, teacher, distill);
    }

    public static Path run(boolean quick, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        long seed = 2023;
        Common.Budget budget = budget(quick);
        int nEval = budget.nEval();
        Options teacherOpts = budget.teacher(), distillOpts = budget.distill();
        SampleMetric mmd = new Mmd(), sw = new SlicedWasserstein(), kl = new KnnKl();
        List<Object> rows = new ArrayList<>();
        Map<String, Object> timings = new LinkedHashMap<>(), consistency = new LinkedHashMap<>();
        List<Figures.Panel> panels = new ArrayList<>();
        for (Toy2d ds : Toy2d.values()) {
            String name = ds.label();
            DataTarget data = DataTarget.of(ds);
            System.err.println(name + ": teacher");
            var teacher = Common.trainTeacher(data, teacherOpts, budget.teacherIts(), seed, Common.log("teacher"));
            timings.put(name + ".teacher_seconds", teacher.seconds());
            teacher.value().save(outDir.resolve(name + "-teacher.sivi"));
            Teacher tch = teacher.value();
            double[][] ref = ds.sample(Common.rng(seed, 99), nEval);
            Map<String, double[][]> shown = new LinkedHashMap<>();
            shown.put(name + " data", ref);

            java.util.function.BiConsumer<String[], double[][]> eval = (key, x) -> {
                Rng r = Common.rng(seed, 7);
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("mmd", mmd.compute(x, ref, r));
                m.put("sliced_w", sw.compute(x, ref, r));
                m.put("knn_kl", kl.compute(x, ref, r));
                Map<String, Object> extra = new LinkedHashMap<>();
                if (key.length > 2) extra.put("variant", key[2]);
                rows.add(Common.row(name, key[0], Integer.parseInt(key[1]), m, extra));
                System.err.printf("  %-8s nfe %4s %-10s mmd %.4f sw %.4f kl %.3f%n", key[0], key[1], key.length > 2 ? key[2] : "", m.get("mmd"), m.get("sliced_w"), m.get("knn_kl"));
            };

            long t0 = System.nanoTime();
            double[][] ddpm = Common.rows(Samplers.ddpm(tch, tch.schedule(), Common.rng(seed, 10), Samplers.standardNormal(Common.rng(seed, 11), nEval, 2)));
            timings.put(name + ".ddpm_sampling_seconds", (System.nanoTime() - t0) / 1e9);
            eval.accept(new String[] {"ddpm", "1000"}, ddpm);
            shown.put("DDPM 1000", ddpm);
            for (int nfe : NFES) {
                Tensor xT = Samplers.standardNormal(Common.rng(seed, 20 + nfe), nEval, 2);
                double[][] d0 = Common.rows(Samplers.ddim(tch, tch.schedule(), TimeGrid.quad(nfe + 1), 0, Common.rng(seed, 30 + nfe), xT));
                eval.accept(new String[] {"ddim", "" + nfe, "eta=0"}, d0);
                double[][] d1 = Common.rows(Samplers.ddim(tch, tch.schedule(), TimeGrid.quad(nfe + 1), Math.sqrt(0.2), Common.rng(seed, 40 + nfe), xT));
                eval.accept(new String[] {"ddim", "" + nfe, "eta=0.447"}, d1);
                double[][] dp = Common.rows(Samplers.dpmSolver2(tch, tch.schedule(), nfe, "quad", xT));
                eval.accept(new String[] {"dpm2", "" + nfe}, dp);
                System.err.println(name + ": hsivi-sm nfe " + nfe);
                var h = Common.distill(Distillation.hsivi(tch), data, distillOpts.with("nfe", nfe), budget.hsiviIts(), seed + nfe, Common.log("hsivi"));
                timings.put(name + ".hsivi_nfe" + nfe + "_seconds", h.seconds());
                h.value().save(outDir.resolve(name + "-hsivi-nfe" + nfe + ".sivi"));
                double[][] hs = Common.rows(h.value().sample(Common.rng(seed, 50 + nfe), nEval));
                eval.accept(new String[] {"hsivi", "" + nfe}, hs);
                if (nfe == 5 || nfe == 10) { shown.put("DDIM(η=0) " + nfe, d0); shown.put("DPM2 " + nfe, dp); shown.put("HSIVI " + nfe, hs); }
            }
            System.err.println(name + ": cosim");
            var c = Common.distill(Distillation.cosim(tch), data, distillOpts.with("nfe", 10), budget.cosimIts(), seed + 100, Common.log("cosim"));
            timings.put(name + ".cosim_seconds", c.seconds());
            FewStepSampler cosim = c.value();
            cosim.save(outDir.resolve(name + "-cosim.sivi"));
            Map<Integer, double[][]> cs = new LinkedHashMap<>();
            for (int nfe : NFES) {
                cs.put(nfe, Common.rows(cosim.sample(Common.rng(seed, 60 + nfe), nEval, TimeGrid.quad(nfe + 1))));
                eval.accept(new String[] {"cosim", "" + nfe}, cs.get(nfe));
            }
            shown.put("CoSIM 5", cs.get(5));
            shown.put("CoSIM 10", cs.get(10));
            // consistency: one CoSIM model, two step schedules; compared with the same-distribution noise floor (data vs fresh data)
            consistency.put(name + ".cosim_mmd_nfe5_vs_nfe10", mmd.compute(cs.get(5), cs.get(10), Common.rng(seed, 8)));
            consistency.put(name + ".data_mmd_noise_floor", mmd.compute(ds.sample(Common.rng(seed, 98), nEval), ref, Common.rng(seed, 8)));
            shown.forEach((k, v) -> panels.add(new Figures.Panel(k, v)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows);
        out.put("consistency", consistency);
        out.put("timings_seconds", timings);
        Map<String, Object> settings = budget.settings(quick);
        settings.put("metrics", "sivi.metrics: mmd = unbiased RBF MMD² (median-distance length scale), sliced_w = sliced W₂, knn_kl = 5-NN KL(samples ‖ data); at most 1000 rows each");
        out.put("settings", settings);
        out.put("paper", PaperValue.none("no published number: the HSIVI and CoSIM papers report FID on image sets; these 2-D toys are our "
                + "transposition (docs/targets.md#diffusion-toy-data)").toJson());
        Path result = ResultFiles.writeJson(outDir, out);
        Figures.scatterGrid(outDir.resolve("figure.png"), panels, panels.size() / Toy2d.values().length, new double[] {-4, 4, -4, 4}, 160);
        return result;
    }
}
