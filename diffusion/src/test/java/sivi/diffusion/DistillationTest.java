package sivi.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sivi.autodiff.Var;
import sivi.fit.FitConfig;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Trainer;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

class DistillationTest {
    static Teacher tinyTeacher(long seed) {
        Params p = new Params();
        EpsNet net = EpsNet.create(p, "eps", 2, 4, 1, 6, 2, Activation.SILU, new Rng(seed), DType.F64);
        return Teacher.linearSchedule(net, p, 1e-4, 0.02, 1000);
    }

    /** φ-loss on fixed inputs and ξ (common random numbers) as a function of the parameters. */
    private static double loss(Distillation.DistillSession s, Params params, Distillation.Inputs in, Layer layer, Tensor xi) {
        return s.phiLoss(params.bind(k -> k.startsWith("phi.") || k.equals("gamma")), in, layer, xi).item();
    }

    private void checkGradient(boolean continuous) {
        Teacher teacher = tinyTeacher(3);
        Distillation m = continuous ? Distillation.cosim(teacher) : Distillation.hsivi(teacher);
        var session = (Distillation.DistillSession) m.init(DataTarget.of(Toy2d.EIGHT_GAUSSIANS), Options.of("nfe", "4", "batch", "6"), DType.F64, new Rng(4));
        Params params = session.state().params();
        Rng rng = new Rng(9);
        // move the critic and γ away from the teacher so that G = f − e* ≠ 0 and every path carries gradient
        for (String k : params.names()) if (k.startsWith("f.") || k.equals("gamma")) params.put(k, perturbed(params.get(k), rng, 0.3));
        Distillation.Inputs in = continuous ? session.forwardNoised(DataTarget.of(Toy2d.EIGHT_GAUSSIANS), rng, DType.F64) : session.simulated(rng, DType.F64);
        Layer layer = Layer.of(teacher.schedule(), in.t(), in.s(), 0.2, DType.F64);
        Tensor xi = rng.normal(DType.F64, in.t().length, 2);

        Params.Bound b = params.bind(k -> k.startsWith("phi.") || k.equals("gamma"));
        Map<String, Tensor> g = b.gradients(session.phiLoss(b, in, layer, xi));
        Map<String, Tensor> dir = new java.util.LinkedHashMap<>();
        double dot = 0;
        for (var e : g.entrySet()) {
            Tensor v = rng.normal(DType.F64, e.getValue().shape());
            dir.put(e.getKey(), v);
            double[] gv = e.getValue().toDoubleArray(), vv = v.toDoubleArray();
            for (int i = 0; i < gv.length; i++) dot += gv[i] * vv[i];
        }
        double h = 1e-5;
        double fd = (loss(session, shifted(params, dir, h), in, layer, xi) - loss(session, shifted(params, dir, -h), in, layer, xi)) / (2 * h);
        // central differences in float64: truncation O(h²) ≈ 1e-10 relative, round-off ≈ 1e-16/h ≈ 1e-11
        assertEquals(fd, dot, 1e-6 * Math.max(1, Math.abs(fd)), "directional derivative");
        assertTrue(Math.abs(dot) > 1e-6, "the check is not vacuous");
        assertTrue(Math.abs(dotOf(g, dir, "gamma")) > 0, "γ receives gradient");
    }

    private static double dotOf(Map<String, Tensor> g, Map<String, Tensor> dir, String k) {
        double[] a = g.get(k).toDoubleArray(), b = dir.get(k).toDoubleArray();
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static Tensor perturbed(Tensor t, Rng rng, double scale) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] += scale * rng.nextGaussian();
        return Tensor.of(t.dtype(), v, t.shape());
    }

    private static Params shifted(Params p, Map<String, Tensor> dir, double h) {
        Params q = p.copy();
        dir.forEach((k, v) -> {
            double[] a = q.get(k).toDoubleArray(), d = v.toDoubleArray();
            for (int i = 0; i < a.length; i++) a[i] += h * d[i];
            q.put(k, Tensor.of(DType.F64, a, v.shape()));
        });
        return q;
    }

    @Test void hsiviPhiLossGradientMatchesFiniteDifferences() { checkGradient(false); }

    @Test void cosimPhiLossGradientMatchesFiniteDifferences() { checkGradient(true); }

    @Test void generatorCopiedFromTeacherComputesTheTeacher() {
        Teacher teacher = tinyTeacher(5);
        Params dst = new Params();
        EpsNet two = teacher.net().copyTo(teacher.params(), dst, "phi", 2);
        Tensor x = new Rng(1).normal(DType.F64, 3, 2);
        double[] t = {10, 400, 999}, s = {0, 5, 700};
        assertArrayEquals(teacher.eps(x, t).toDoubleArray(), two.eval(dst, x, t, s).toDoubleArray(), 1e-12);
    }

    @Test void teacherAndSamplerSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
        Teacher teacher = tinyTeacher(6);
        teacher.save(dir.resolve("t.sivi"));
        Teacher back = Teacher.load(dir.resolve("t.sivi"));
        Tensor x = new Rng(2).normal(DType.F64, 4, 2);
        double[] t = {0, 10, 500, 999};
        assertArrayEquals(teacher.eps(x, t).toDoubleArray(), back.eps(x, t).toDoubleArray(), 0.0);

        for (Distillation m : new Distillation[] {Distillation.hsivi(teacher), Distillation.cosim(teacher)}) {
            var session = (Distillation.DistillSession) m.init(DataTarget.of(Toy2d.SWISSROLL), Options.of("nfe", "5"), DType.F64, new Rng(3));
            session.state().params().put("gamma", Tensor.full(DType.F64, 0.3, 1, 2));
            FewStepSampler q = session.sampler();
            q.save(dir.resolve(m.name() + ".sivi"));
            FewStepSampler r = FewStepSampler.load(dir.resolve(m.name() + ".sivi"));
            assertArrayEquals(q.sample(new Rng(8), 5).toDoubleArray(), r.sample(new Rng(8), 5).toDoubleArray(), 0.0, m.name());
            assertArrayEquals(q.grid().t(), r.grid().t(), 0.0);
        }
    }

    @Test void untrainedHsiviLayersWithZeroGammaAreDdimWithSqrtEta() {
        Teacher teacher = tinyTeacher(7);
        var session = (Distillation.DistillSession) Distillation.hsivi(teacher).init(DataTarget.of(Toy2d.SWISSROLL), Options.of("nfe", "5"), DType.F64, new Rng(3));
        TimeGrid grid = TimeGrid.quad(6);
        // same draws: the sampler draws x_T then ξ per step exactly as Samplers.ddim with κ = √0.2
        Tensor a = session.sampler().sample(new Rng(4), 7);
        Rng r = new Rng(4);
        Tensor xT = r.normal(DType.F64, 7, 2);
        double[] x = xT.toDoubleArray();
        for (int i = grid.levels() - 1; i >= 1; i--) {
            DdimStep st = DdimStep.hsivi(teacher.schedule(), grid.at(i), grid.at(i - 1), 0.2);
            double[] tt = new double[7];
            java.util.Arrays.fill(tt, grid.at(i));
            double[] mean = st.mean(x, teacher.eps(Tensor.of(DType.F64, x, 7, 2), tt).toDoubleArray());
            double[] xi = i == 1 ? new double[14] : r.normal(DType.F64, 7, 2).toDoubleArray();
            for (int k = 0; k < x.length; k++) x[k] = mean[k] + st.c1() * xi[k];
        }
        assertArrayEquals(x, a.toDoubleArray(), 1e-10);
    }

    @Test void teacherAndDistillationRunThroughTheTrainer(@TempDir Path dir) {
        var target = DataTarget.of(Toy2d.CHECKERBOARD);
        var fit = Trainer.fit(new DdpmTeacher(), target, Options.of("hidden", "8", "depth", "1", "batch", "16"),
                FitConfig.defaults(30).withDType(DType.F64).withDraws(0), Progress.SILENT);
        assertTrue(Double.isFinite(fit.finalObjective()));
        Teacher teacher = ((DdpmTeacher.TeacherSession) fit.session()).teacher();
        for (Distillation m : new Distillation[] {Distillation.hsivi(teacher), Distillation.cosim(teacher)}) {
            var f = Trainer.fit(m, target, Options.of("nfe", "3", "batch", "8", "f_learning_times", "2"),
                    FitConfig.defaults(4).withDType(DType.F64).withDraws(5), Progress.SILENT);
            assertArrayEquals(new int[] {5, 2}, f.samples().shape());
            assertTrue(Double.isFinite(f.trace().extras().get("loss_phi")[3]), m.name() + " made φ steps");
        }
    }
}
