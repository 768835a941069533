package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Linear;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * p(x | z) = N(x; z W + b, σ² I): with p(z) = N(0, I) the marginal is p(x) = N(b, WᵀW + σ² I) in
 * closed form, so every bound can be checked against the exact log p(x) (Tipping and Bishop 1999,
 * probabilistic PCA). Parameters "dec.weight" (d×D) and "dec.bias"; σ is fixed.
 */
public record LinearGaussianDecoder(Linear lin, double sigma) implements Decoder {

    public static LinearGaussianDecoder create(Params params, int latent, int dim, double sigma, Rng rng, DType dt) {
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be positive, got " + sigma);
        return new LinearGaussianDecoder(Linear.create(params, "dec", latent, dim, Activation.IDENTITY, rng, dt), sigma);
    }

    @Override public int latent() { return lin.in(); }

    @Override public int dim() { return lin.out(); }

    @Override public Var logLikelihood(Params.Bound p, Var z, Var x) {
        int b = x.dim(0), dim = dim(), m = z.dim(0) / b;
        Var mean = reshape(lin.forward(p, z), b, m, dim);
        Var logSigma = scalar(z.dtype(), Math.log(sigma));
        return reshape(Gaussians.logNormal(reshape(x, b, 1, dim), mean, broadcastTo(logSigma, new int[] {1, 1, dim})), b * m);
    }

    @Override public Var mean(Params.Bound p, Var z) { return lin.forward(p, z); }
}
