package org.kinora.core.inference;

import java.util.List;

/**
 * What the model store knows about a model: stored as {@code card.json} beside the model's files, and the only way a
 * network reaches the inference service. A card names its weights with their sha256 so that a file that changed is
 * refused, never loaded.
 *
 * @param id          the model id, e.g. {@code movenet-lightning} (lower case letters, digits, '-', '.', '_')
 * @param task        what it does, e.g. {@code pose-estimation}, {@code image-segmentation}, {@code text-embedding}
 * @param format      the file format: {@code tfjs-graph}, {@code onnx} or {@code torchscript}
 * @param description one sentence naming the network
 * @param files       the files of the model, paths relative to the model's folder; the first is the entry point
 * @param inputs      the tensors a call takes, as the service exposes them (after the card's pre-processing)
 * @param outputs     the tensors a call returns (after the card's post-processing)
 * @param processing  the pre/post-processing around the network: {@code none} (raw tensors) or a named one such as
 *                    {@code movenet}, {@code blazepose}, {@code selfie-segmentation}, {@code sentence-embedding}
 * @param license     SPDX license id of the weights, e.g. {@code Apache-2.0}
 * @param licenseFile the license text kept beside the files (relative path), or null
 * @param noticeFile  the NOTICE text kept beside the files (relative path), or null
 * @param source      where the weights came from
 * @param memoryBytes estimated device memory while resident (weights plus working memory of one call)
 */
public record ModelCard(String id, String task, String format, String description, List<ModelFile> files,
                        List<TensorSpec> inputs, List<TensorSpec> outputs, String processing, String license,
                        String licenseFile, String noticeFile, ModelSource source, long memoryBytes) {

    public ModelCard {
        files = List.copyOf(files);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        processing = processing == null || processing.isBlank() ? "none" : processing;
    }

    /** The service's view of this model. */
    public ModelInfo info() {
        return new ModelInfo(id, task, format, description, inputs, outputs);
    }
}
