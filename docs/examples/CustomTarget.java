import static sivi.autodiff.Ops.*;

import sivi.autodiff.Var;
import sivi.fit.Fit;
import sivi.fit.Sivi;
import sivi.fit.StopRule;
import sivi.targets.Target;

/**
 * Defines a target in Java and fits it: Neal's funnel in 2-D, v ~ N(0, 3²), x | v ~ N(0, e^v),
 * log p(v, x) = −v²/18 − x² e^{−v}/2 − v/2 + const. Only the log density is written (with the
 * autodiff ops, one value per row of the N×2 input); the score and its Hessian-vector products,
 * which KSIVI and SIVI-SM differentiate through, come from the autodiff.
 */
public class CustomTarget {
    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3000;

        // the common case: a name, the dimension and log p as a function of the N×d input
        Target funnel = Target.of("funnel-2d", 2, x -> {
            Var v = slice(x, 1, 0, 1), u = slice(x, 1, 1, 2);                        // N×1 columns
            Var lp = add(scale(square(v), -1.0 / 18), add(scale(mul(square(u), exp(neg(v))), -0.5), scale(v, -0.5)));
            return reshape(lp, x.shape()[0]);                                          // N values
        });

        Fit fit = Sivi.method("ksivi")
                .set("batch", 100)
                .iterations(iterations)                     // the most it runs ...
                .stop(StopRule.plateau(500, 1))             // ... ending when the objective plateaus
                .seed(1)
                .fit(funnel);
        double[][] draws = fit.samples().toMatrix();
        double mean = 0, var = 0;
        for (double[] d : draws) mean += d[0] / draws.length;
        for (double[] d : draws) var += (d[0] - mean) * (d[0] - mean) / (draws.length - 1);
        System.out.printf("%d iterations (%s): v has mean %.2f and sd %.2f (exact: 0 and 3)%n",
                fit.endIteration(), fit.stopReason(), mean, Math.sqrt(var));
    }
}
