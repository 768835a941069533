package sivi.diffusion.repro;

import java.util.LinkedHashMap;
import java.util.Map;
import sivi.diffusion.Arrays2;
import sivi.diffusion.DdpmTeacher;
import sivi.diffusion.Distillation;
import sivi.diffusion.FewStepSampler;
import sivi.diffusion.Teacher;
import sivi.fit.Fit;
import sivi.fit.FitConfig;
import sivi.fit.Options;
import sivi.fit.Progress;
import sivi.fit.Trainer;
import sivi.kernels.Kernels;
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.DType;

/** Shared plumbing of the reproduction entry points: every training run goes through the one {@link Trainer}. */
final class Common {
    private Common() {}

    /** Teachers and samplers train in f32: f32 and f64 teachers from one seed agree to 6–7 digits in their weights (measured), at half the cost. */
    static final DType DTYPE = DType.F32;

    /** A fit on the caller's backend ({@code sivi repro --backend/--threads}). */
    static FitConfig config(int iterations, long seed) {
        return FitConfig.defaults(iterations).withCurrentBackend().withDType(DTYPE).withSeed(seed).withDraws(0);
    }

    /** Iterations, network options and evaluation sample count of one reproduction run. */
    record Budget(int teacherIts, int hsiviIts, int cosimIts, int nEval, Options teacher, Options distill) {
        /** The result.json "settings": this budget plus the backend, threads and dtype the fits ran on. */
        Map<String, Object> settings(boolean quick) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quick", quick);
            m.put("backend", Kernels.current().name());
            m.put("threads", Kernels.current().threads());
            m.put("dtype", DTYPE.label());
            m.put("teacher_iterations", teacherIts);
            m.put("hsivi_iterations", hsiviIts);
            m.put("cosim_iterations", cosimIts);
            m.put("eval_samples", nEval);
            m.put("teacher", teacher.asMap().toString());
            m.put("distill", distill.asMap().toString());
            return m;
        }
    }

    record Timed<T>(T value, double seconds) {}

    static Timed<Teacher> trainTeacher(Target data, Options o, int iterations, long seed, Progress progress) {
        Fit fit = Trainer.fit(new DdpmTeacher(), data, o, config(iterations, seed), progress);
        return new Timed<>(((DdpmTeacher.TeacherSession) fit.session()).teacher(), fit.wallSeconds());
    }

    static Timed<FewStepSampler> distill(Distillation method, Target data, Options o, int iterations, long seed, Progress progress) {
        Fit fit = Trainer.fit(method, data, o, config(iterations, seed), progress);
        return new Timed<>(((Distillation.DistillSession) fit.session()).sampler(), fit.wallSeconds());
    }

    static double[][] rows(sivi.tensor.Tensor t) { return Arrays2.rows(t); }

    static Map<String, Object> row(String dataset, String method, int nfe, Map<String, Double> metrics, Map<String, Object> extra) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dataset", dataset);
        r.put("method", method);
        r.put("nfe", nfe);
        r.putAll(metrics);
        r.putAll(extra);
        return r;
    }

    /** Progress lines every ~10% to stderr, so long runs show life. */
    static Progress log(String what) {
        return new Progress() {
            int last = -1;
            @Override public void iteration(int it, int total, double objective, double elapsed) {
                int tenth = (int) (10L * it / Math.max(1, total));
                if (tenth != last) { last = tenth; System.err.printf("  %s %d/%d obj %.4f %.0fs%n", what, it, total, objective, elapsed); }
            }
        };
    }

    static Rng rng(long seed, long stream) { return Rng.of(seed, stream); }
}
