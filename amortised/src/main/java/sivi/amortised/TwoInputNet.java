package sivi.amortised;

import sivi.autodiff.Var;
import sivi.kernels.Activation;
import sivi.kernels.Rng;
import sivi.nn.Linear;
import sivi.nn.Params;
import sivi.tensor.DType;

import static sivi.autodiff.Ops.*;

/**
 * f(x, y) = out(tanh(x W_x + b_x + y W_y + b_y)): a one-hidden-layer MLP on the concatenation [x, y],
 * with the x part computed once per x and shared by the {@code per} rows of y that go with it. x is
 * an image (784-d) and y a 16-d noise or latent draw, so the K + 1 encoder evaluations per draw that
 * the SIVI and IWHVI bounds need cost a 16-d layer each, not a 784-d one.
 */
public record TwoInputNet(Linear inX, Linear inY, Linear out) {

    /** Parameters "{name}.x", "{name}.y", "{name}.out" (weight and bias each). */
    public static TwoInputNet create(Params params, String name, int xDim, int yDim, int hidden, int outDim, Rng rng, DType dt) {
        return new TwoInputNet(Linear.create(params, name + ".x", xDim, hidden, Activation.IDENTITY, rng, dt),
                Linear.create(params, name + ".y", yDim, hidden, Activation.IDENTITY, rng, dt),
                Linear.create(params, name + ".out", hidden, outDim, Activation.IDENTITY, rng, dt));
    }

    /** x W_x + b_x for x [B, xDim] → [B, hidden]. */
    public Var xPart(Params.Bound p, Var x) { return inX.forward(p, x); }

    /** f for xPart [B, hidden] and y [B·per, yDim] (rows image-major: the per rows of x_b together) → [B·per, outDim]. */
    public Var forward(Params.Bound p, Var xPart, Var y) {
        int b = xPart.dim(0), h = xPart.dim(1);
        if (y.dim(0) % b != 0) throw new IllegalArgumentException("TwoInputNet: " + y.dim(0) + " rows of y for " + b + " rows of x");
        int per = y.dim(0) / b;
        Var hy = reshape(inY.forward(p, y), b, per, h);
        return out.forward(p, reshape(tanh(add(hy, reshape(xPart, b, 1, h))), b * per, h));
    }
}
