package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * The IWHVI reverse model τ(psi | z, x) = N(m(x, z), diag exp(2 logS(x, z))), an approximation of the
 * encoder's mixing posterior q(psi | z, x) (Sobolev and Vetrov 2019, section 3). Parameters "rev.*".
 */
public record ReverseModel(TwoInputNet net, int noise) {

    public static ReverseModel create(Params params, int dim, int hidden, int latent, int noise, Rng rng, DType dt) {
        return new ReverseModel(TwoInputNet.create(params, "rev", dim, latent, hidden, 2 * noise, rng, dt), noise);
    }

    /** {m, logS}, each [B·M, noise], for the image part of x and z [B·M, latent]. */
    public Var[] meanLogScale(Params.Bound p, Var xPart, Var z) {
        Var o = net.forward(p, xPart, z);
        return new Var[] {slice(o, 1, 0, noise), slice(o, 1, noise, 2 * noise)};
    }
}
