package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelInfo;
import org.kinora.inference.internal.t2v.T2vModel;

/**
 * {@code t2v-world}: the built-in text-to-video denoiser as a model of the service ({@link T2vModel}): one call, one
 * velocity evaluation; the generate effect's sampler makes the steps.
 */
final class T2vWorldModel implements Model {

    private final ModelInfo info = new ModelInfo(T2vModel.ID, "text-to-video-denoiser", BuiltinModel.FORMAT,
            "Built-in text-to-video denoiser, trained by Kinora (./kinora train-generate) on its procedural world of moving shapes:"
                    + " a small DiT with full spatio-temporal attention over pixel patches, prompt by adaLN and cross-attention "
                    + "(all-MiniLM-L6-v2 embeddings), optional anchor frame; flow-matching velocity out. "
                    + weightsNote(),
            T2vModel.INPUTS, T2vModel.OUTPUTS);

    /** "weights sha256 ..." (named in generated clips' provenance), or that the weights are not in this build. */
    private static String weightsNote() {
        String h = BundledWeights.cardSha256(T2vModel.RESOURCES, org.kinora.inference.internal.t2v.TrainGenerate.CARD);
        return h == null ? "Its weights are not in this build (./kinora train-generate)." : "Weights sha256 " + h + ".";
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int maxBatch() {
        return 1;
    }

    @Override
    public long memoryBytes() {
        // weights (~1.5 M floats) plus the attention maps of a batch of 8 clips at the largest grid
        return 256L << 20;
    }

    @Override
    public LoadedModel load(Device device) throws InferenceException {
        T2vModel model = T2vModel.load(device);
        return NDArrayCall.loaded(info, (scope, inputs, parameters, control) -> {
            control.checkpoint();
            NDArray v = model.velocity(new NDList(inputs));
            v.attach(scope);
            return new NDList(v);
        }, model::close);
    }
}
