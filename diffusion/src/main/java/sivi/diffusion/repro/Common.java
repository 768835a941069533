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
import sivi.kernels.Rng;
import sivi.targets.Target;
import sivi.tensor.DType;

/** Shared plumbing of the reproduction entry points: every training run goes through the one {@link Trainer}. */
final class Common {
    private Common() {}

    static FitConfig config(int iterations, long seed) { return FitConfig.defaults(iterations).withDType(DType.F64).withSeed(seed).withDraws(0); }

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
