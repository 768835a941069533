package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * The semi-implicit encoder q(z | x) = ∫ q(z | psi, x) q(psi) dpsi with mixing noise psi ~ N(0, I_noise)
 * and the explicit conditional q(z | psi, x) = N(mu(x, psi), diag exp(2 logSigma(x, psi))), the
 * network taking x and the noise (Yin and Zhou 2018, section 4; Sobolev and Vetrov 2019, section 5.2,
 * where psi enters as a standard-normal input). q(z | x) itself has no closed form.
 */
public record SemiImplicitEncoder(TwoInputNet net, int latent, int noise) implements Encoder {

    /** Parameters "enc.*". */
    public static SemiImplicitEncoder create(Params params, int dim, int hidden, int latent, int noise, Rng rng, DType dt) {
        return new SemiImplicitEncoder(TwoInputNet.create(params, "enc", dim, noise, hidden, 2 * latent, rng, dt), latent, noise);
    }

    /** {mu, logSigma}, each [B·per, latent], for the image part of x and psi [B·per, noise]. */
    public Var[] muLogSigma(Params.Bound p, Var xPart, Var psi) {
        Var o = net.forward(p, xPart, psi);
        return new Var[] {slice(o, 1, 0, latent), slice(o, 1, latent, 2 * latent)};
    }
}
