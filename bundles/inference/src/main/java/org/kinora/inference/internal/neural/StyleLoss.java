package org.kinora.inference.internal.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loss: {@code total = style * wStyle + content * wContent + tv * wTv}.
 *
 * <ul>
 *   <li><b>style</b>: for level 0 = the RGB pixels and levels 1-4 = the {@link RandomFeatures} layers, a relative
 *       distance of the output's feature statistics to the style picture's, averaged over the batch and weighted by
 *       {@link Weights#levels}. With {@link Weights#centred}: the channel means and the channel covariance matrices
 *       (centred Gram matrices divided by H*W), {@code |m(out) - m(style)| / |m(style)| + ||C(out) - C(style)||_F /
 *       ||C(style)||_F}; else the uncentred Gram matrices, {@code ||G(out) - G(style)||_F / ||G(style)||_F}. Norms, not
 *       their squares.</li>
 *   <li><b>content</b>: relative squared error of the random features at 1/2 and 1/4 resolution (levels 2 and 3),
 *       {@code mean((F(out) - F(in))^2) / mean(F(in)^2)}, averaged over the two.</li>
 *   <li><b>tv</b>: total variation, the mean squared difference of horizontally and vertically neighbouring output
 *       pixels.</li>
 * </ul>
 */
public final class StyleLoss {

    /**
     * Loss weights. {@code levels[0]} is the colour level, then one per {@link RandomFeatures} layer. {@code centred}:
     * compare channel means and covariances (centred Gram matrices); else uncentred Gram matrices (Gatys et al.).
     */
    public record Weights(double style, double content, double tv, double[] levels, boolean centred) {
    }

    /** One step's terms as scalar NDArrays (differentiable) and the weighted total. */
    public record Terms(NDArray total, NDArray style, NDArray content, NDArray tv, List<NDArray> styleLevels) {
    }

    private static final int[] CONTENT_LEVELS = {2, 3};

    private final RandomFeatures features;
    private final Weights weights;
    private final List<NDArray> styleMeans = new ArrayList<>();
    private final List<NDArray> styleCovs = new ArrayList<>();
    private final List<Float> meanNorms = new ArrayList<>();
    private final List<Float> covNorms = new ArrayList<>();

    /** @param style the style picture {@code [1, 3, H, W]} in {@code [0, 1]}; its statistics are taken once */
    public StyleLoss(RandomFeatures features, NDArray style, Weights weights, NDManager keep) {
        this.features = features;
        this.weights = weights;
        for (NDArray f : levels(style)) {
            NDArray m = weights.centred() ? channelMeans(f) : f.getManager().zeros(new ai.djl.ndarray.types.Shape(1, f.getShape().get(1), 1, 1));
            NDArray c = RandomFeatures.gram(f.sub(m));
            m.attach(keep);
            c.attach(keep);
            styleMeans.add(m);
            styleCovs.add(c);
            meanNorms.add(weights.centred() ? (float) Math.sqrt(m.square().sum().getFloat()) : 1f);
            covNorms.add((float) Math.sqrt(c.square().sum().getFloat()));
        }
    }

    /** The terms for a batch of outputs and the content pictures they came from (both {@code [N, 3, H, W]}). */
    public Terms terms(NDArray out, NDArray content) {
        List<NDArray> fo = levels(out);
        List<NDArray> fc = features.features(content);
        NDArray style = null;
        List<NDArray> perLevel = new ArrayList<>();
        for (int l = 0; l < fo.size(); l++) {
            // centred statistics: the means of ReLU features are large, and an uncentred Gram matrix is mostly their
            // outer product, which a net matches by shifting brightness and colour without making any texture.
            // Distances, not their squares: squared errors grow with the 4th power of the activations and one
            // high-contrast crop would outweigh the batch.
            NDArray f = fo.get(l);
            NDArray dc;
            if (weights.centred()) {
                NDArray m = channelMeans(f);
                NDArray dm = m.sub(styleMeans.get(l)).square().sum(new int[] {1, 2, 3}).add(1e-12f).sqrt().div(meanNorms.get(l));
                dc = RandomFeatures.gram(f.sub(m)).sub(styleCovs.get(l)).square().sum(new int[] {1, 2}).add(1e-12f).sqrt()
                        .div(covNorms.get(l)).add(dm);
            } else {
                dc = RandomFeatures.gram(f).sub(styleCovs.get(l)).square().sum(new int[] {1, 2}).add(1e-12f).sqrt()
                        .div(covNorms.get(l));
            }
            NDArray term = dc.mean().mul((float) weights.levels()[l]);
            perLevel.add(term);
            style = style == null ? term : style.add(term);
        }
        NDArray contentLoss = null;
        for (int l : CONTENT_LEVELS) {
            NDArray a = fo.get(l);
            NDArray b = fc.get(l - 1);
            NDArray term = a.sub(b).square().mean().div(b.square().mean().add(1e-8f)).div((float) CONTENT_LEVELS.length);
            contentLoss = contentLoss == null ? term : contentLoss.add(term);
        }
        NDArray tv = totalVariation(out);
        NDArray total = style.mul((float) weights.style()).add(contentLoss.mul((float) weights.content())).add(tv.mul((float) weights.tv()));
        return new Terms(total, style, contentLoss, tv, perLevel);
    }

    /** Level 0 (the RGB pixels), then the random features. */
    private List<NDArray> levels(NDArray rgb) {
        List<NDArray> out = new ArrayList<>();
        out.add(rgb);
        out.addAll(features.features(rgb));
        return out;
    }

    /** Per-image channel means, {@code [N, C, 1, 1]}. */
    private static NDArray channelMeans(NDArray f) {
        return f.mean(new int[] {3}, true).mean(new int[] {2}, true);
    }

    static NDArray totalVariation(NDArray x) {
        NDArray dx = x.get(new NDIndex(":, :, :, 1:")).sub(x.get(new NDIndex(":, :, :, :-1")));
        NDArray dy = x.get(new NDIndex(":, :, 1:, :")).sub(x.get(new NDIndex(":, :, :-1, :")));
        return dx.square().mean().add(dy.square().mean());
    }
}
