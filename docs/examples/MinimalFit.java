import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.targets.Target;
import sivi.targets.Targets;

/** Fits KSIVI to the banana with nothing but sivi-core.jar on the class path. */
public class MinimalFit {
    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Target banana = Targets.banana();
        Fit fit = Sivi.method("ksivi")
                .preset("ksivi-banana")      // the paper's hyper-parameters ...
                .set("batch", 100)           // ... with a smaller batch for a quick run
                .iterations(iterations)
                .seed(1)
                .fit(banana);
        double[][] x = fit.samples().toMatrix();   // fit.config().draws() rows, one column per parameter
        double m1 = 0, m2 = 0;
        for (double[] row : x) { m1 += row[0] / x.length; m2 += row[1] / x.length; }
        System.out.printf("%d iterations, %.2f ms/iteration, mean of %d draws = (%.3f, %.3f)%n",
                iterations, fit.msPerIteration(), x.length, m1, m2);
    }
}
