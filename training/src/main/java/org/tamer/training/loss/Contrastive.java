package org.tamer.training.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.tamer.runtime.network.GraphScalar;

/**
 * The symmetric InfoNCE of the paper's Eq. 1 on cosine similarities, and its per-sample token-level form used by
 * RGWR. Pure functions of their inputs; results belong to the first input's manager.
 */
public final class Contrastive {

    private static final float EXCLUDED = -1e9f;

    private Contrastive() {
    }

    /**
     * Symmetric InfoNCE between two views of a batch: row i of {@code a} and row i of {@code b} are a positive pair,
     * every other row a negative. {@code ½ (CE(a→b) + CE(b→a))} averaged over the batch.
     *
     * @param a           {@code [batch, D]}
     * @param b           {@code [batch, D]}
     * @param temperature τ (0.04 in the paper)
     */
    public static NDArray symmetricInfoNce(NDArray a, NDArray b, float temperature, InfoNceDenominator denominator) {
        NDArray logits = normalise(a).matMul(normalise(b).transpose()).div(GraphScalar.of(a, temperature));
        long n = logits.getShape().get(0);
        NDArray eye = a.getManager().eye((int) n);
        NDArray rows = crossEntropyOnDiagonal(logits, eye, 1, null, denominator);
        NDArray columns = crossEntropyOnDiagonal(logits, eye, 0, null, denominator);
        return rows.add(columns).mean().mul(GraphScalar.of(a, 0.5f));
    }

    /**
     * Per-sample token-level InfoNCE: in each sample, token i of {@code tokens} and token i of {@code attended} are
     * a positive pair and the sample's other tokens are negatives (Eq. 4). Each token's symmetric term is weighted
     * by {@code weights}; padding (mask 0) is excluded from every softmax.
     *
     * @param tokens   {@code [batch, n, D]}
     * @param attended {@code [batch, n, D]}
     * @param mask     {@code [batch, n]}, 1 real and 0 padding, or null when every token is real
     * @param weights  {@code [batch, n]}, each row summing to one over real tokens
     * @return the weighted loss averaged over the batch, a scalar
     */
    public static NDArray tokenWeightedInfoNce(NDArray tokens, NDArray attended, NDArray mask, NDArray weights,
                                               float temperature, InfoNceDenominator denominator) {
        NDArray logits = normalise(tokens).matMul(normalise(attended).transpose(0, 2, 1))
                .div(GraphScalar.of(tokens, temperature));
        long n = logits.getShape().get(1);
        NDManager manager = tokens.getManager();
        NDArray eye = manager.eye((int) n).expandDims(0);
        NDArray rows = crossEntropyOnDiagonal(logits, eye, 2, mask == null ? null : mask.expandDims(1), denominator);
        NDArray columns = crossEntropyOnDiagonal(logits, eye, 1, mask == null ? null : mask.expandDims(2),
                denominator);
        NDArray perToken = rows.add(columns).mul(GraphScalar.of(tokens, 0.5f));
        return perToken.mul(weights).sum(new int[] {1}).mean();
    }

    /**
     * −log p(positive) for each row (axis = last) or column (axis = the one before), with candidates where
     * {@code candidateMask} is 0 excluded.
     */
    private static NDArray crossEntropyOnDiagonal(NDArray logits, NDArray eye, int axis, NDArray candidateMask,
                                                  InfoNceDenominator denominator) {
        NDArray scores = candidateMask == null ? logits : logits.add(candidateMask.neg()
                .add(GraphScalar.of(logits, 1f)).mul(GraphScalar.of(logits, EXCLUDED)));
        // summing logits·I over the softmax axis leaves the diagonal, indexed like the log-sum-exp
        NDArray positive = logits.mul(eye).sum(new int[] {axis});
        NDArray candidates = denominator == InfoNceDenominator.NEGATIVES_ONLY
                ? scores.add(eye.mul(GraphScalar.of(eye, EXCLUDED)))
                : scores;
        return logSumExp(candidates, axis).sub(positive);
    }

    private static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true).stopGradient();
        return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /**
     * Rows scaled to unit length (cosine similarity as a dot product). The squared norm is clamped before the
     * square root: a zero row (a padding token's projection is exactly the zero bias at initialisation) would
     * otherwise give sqrt's infinite derivative times zero, a NaN gradient.
     */
    static NDArray normalise(NDArray x) {
        int last = x.getShape().dimension() - 1;
        return x.div(x.square().sum(new int[] {last}, true).maximum(GraphScalar.of(x, 1e-16f)).sqrt());
    }
}
