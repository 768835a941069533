package sivi.amortised;

import sivi.autodiff.Var;
import sivi.nn.Params;

/** The generative model's likelihood p(x | z), with prior p(z) = N(0, I). */
public sealed interface Decoder permits BernoulliDecoder, LinearGaussianDecoder {
    int latent();

    int dim();

    /** log p(x_b | z_bm) for z [B·M, d] (the M draws of image b together) and x [B, D] → [B·M]. */
    Var logLikelihood(Params.Bound p, Var z, Var x);

    /** E[x | z] for z [N, d] → [N, D]. */
    Var mean(Params.Bound p, Var z);
}
