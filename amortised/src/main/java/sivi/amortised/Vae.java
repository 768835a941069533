package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Rng;
import sivi.nn.Params;
import sivi.tensor.DType;
import sivi.tensor.Tensor;

import static sivi.autodiff.Ops.*;

/**
 * A VAE: decoder p(x | z) with prior N(0, I), an encoder q(z | x) (Gaussian or semi-implicit), and for
 * a semi-implicit encoder optionally the IWHVI reverse model τ(psi | z, x) (null when absent: the
 * SIVI surrogate uses the mixing prior q(psi) in its place). The bounds are in {@link Bounds}.
 */
public record Vae(Decoder decoder, Encoder encoder, ReverseModel reverse) {
    public Vae {
        if (encoder.latent() != decoder.latent()) throw new IllegalArgumentException("encoder latent " + encoder.latent() + " ≠ decoder latent " + decoder.latent());
        if (reverse != null && !(encoder instanceof SemiImplicitEncoder s && s.noise() == reverse.noise()))
            throw new IllegalArgumentException("a reverse model needs a semi-implicit encoder with the same noise dimension");
    }

    public boolean semiImplicit() { return encoder instanceof SemiImplicitEncoder; }

    /** One posterior draw z ~ q(z | x) per row of x [B, D] → [B, latent], no graph. */
    public Tensor encode(Params.Bound p, Var x, Rng rng) {
        int b = x.dim(0), d = encoder.latent();
        DType dt = x.dtype();
        Var[] q = switch (encoder) {
            case GaussianEncoder g -> g.muLogSigma(p, x);
            case SemiImplicitEncoder s -> s.muLogSigma(p, s.net().xPart(p, x), constant(rng.normal(dt, b, s.noise())));
        };
        return add(q[0], mul(exp(q[1]), constant(rng.normal(dt, b, d)))).value();
    }
}
