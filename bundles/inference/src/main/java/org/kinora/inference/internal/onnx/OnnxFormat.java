package org.kinora.inference.internal.onnx;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.onnxruntime.engine.OrtEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.ImageToImageNetworkModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.ModelFormat;
import org.kinora.inference.internal.RawNetworkModel;

/**
 * ONNX models on DJL's ONNX Runtime engine. Processing {@code none}: the card's tensors are the graph's own, by name;
 * {@code image-to-image}: a style network behind the style contract ({@link ImageToImageNetworkModel});
 * {@code sentence-embedding}: a BERT-style sentence encoder with its {@code tokenizer.json} among the card's files.
 *
 * <p>The embedded ONNX Runtime is its CPU build, so networks run on the CPU unless the engine reports CUDA.
 */
public final class OnnxFormat implements ModelFormat {

    private static volatile Boolean cuda;

    @Override
    public String format() {
        return "onnx";
    }

    @Override
    public Model open(ModelCard card, Path folder) throws InferenceException {
        if (card.files().isEmpty()) {
            throw new InferenceException("model '" + card.id() + "': the card names no file");
        }
        Path onnx = folder.resolve(card.files().get(0).path());
        return switch (card.processing()) {
            case "none" -> new RawNetworkModel(card, onnx, OrtEngine.ENGINE_NAME, Map.of(), OnnxFormat::placement);
            case "sentence-embedding" -> sentenceEmbedding(card, folder, onnx);
            case "image-to-image", "image-to-image-unit", "image-to-image-signed" ->
                    new ImageToImageNetworkModel(card, onnx, OrtEngine.ENGINE_NAME, Map.of(), OnnxFormat::placement);
            default -> throw new InferenceException("model '" + card.id() + "': format onnx has no processing '"
                    + card.processing() + "' (none, sentence-embedding, image-to-image, image-to-image-unit, image-to-image-signed)");
        };
    }

    private static Model sentenceEmbedding(ModelCard card, Path folder, Path onnx) throws InferenceException {
        List<TensorSpec> in = card.inputs();
        List<TensorSpec> out = card.outputs();
        if (in.size() != 1 || in.get(0).type() != TensorType.BYTES || in.get(0).shape().length != 1) {
            throw new InferenceException("model '" + card.id() + "': sentence-embedding takes one BYTES [-1] input (the sentences)");
        }
        if (out.size() != 1 || out.get(0).type() != TensorType.FP32 || out.get(0).shape().length != 2) {
            throw new InferenceException("model '" + card.id() + "': sentence-embedding gives one FP32 [-1, H] output");
        }
        ModelFile tokenizer = card.files().stream().filter(f -> f.path().endsWith("tokenizer.json")).findFirst()
                .orElseThrow(() -> new InferenceException("model '" + card.id()
                        + "': sentence-embedding needs a tokenizer.json among the card's files"));
        return new SentenceEmbeddingModel(card, onnx, folder.resolve(tokenizer.path()));
    }

    /** The device ONNX Runtime runs on for a worker of {@code device}: the CPU, unless the engine has CUDA. */
    static Device placement(Device device) {
        if (!device.isGpu()) {
            return device;
        }
        Boolean has = cuda;
        if (has == null) {
            has = Engine.getEngine(OrtEngine.ENGINE_NAME).hasCapability(StandardCapabilities.CUDA);
            cuda = has;
        }
        return has ? device : Device.cpu();
    }
}
