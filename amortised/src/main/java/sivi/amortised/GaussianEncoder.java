package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Mlp;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/** The VAE encoder q(z | x) = N(mu(x), diag exp(2 logSigma(x))), [mu, logSigma] = MLP(x) (Kingma and Welling 2014). */
public record GaussianEncoder(Mlp net, int latent) implements Encoder {

    /** Parameters "enc.*": sizes dim → hidden… → 2·latent. */
    public static GaussianEncoder create(Params params, int dim, int[] hidden, int latent, Rng rng, DType dt) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = dim;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = 2 * latent;
        return new GaussianEncoder(Mlp.create(params, "enc", sizes, Activation.TANH, rng, dt), latent);
    }

    /** {mu, logSigma}, each [B, latent], for x [B, D]. */
    public Var[] muLogSigma(Params.Bound p, Var x) {
        Var o = net.forward(p, x);
        return new Var[] {slice(o, 1, 0, latent), slice(o, 1, latent, 2 * latent)};
    }
}
