package org.kinora.inference.internal.onnx;

import ai.djl.engine.Engine;
import ai.djl.onnxruntime.engine.OrtEngine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.Djl;

/**
 * The inputs and outputs an ONNX graph declares, read from ONNX Runtime's session metadata: what the model store shows
 * for a user's {@code .onnx} export, and what the sentence-embedding model feeds.
 *
 * @param inputs  the graph inputs, in the graph's order; {@code -1} for symbolic (dynamic) dimensions
 * @param outputs the graph outputs, likewise
 */
public record OnnxSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public OnnxSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * Reads the signature of an ONNX file (ONNX Runtime parses it; nothing runs).
     *
     * @throws InferenceException when the file is missing or not a valid ONNX graph, or a tensor has a type the service
     *                            has no protocol type for (the message names the file and the tensor)
     */
    public static OnnxSignature read(Path onnxFile) throws InferenceException {
        if (!Files.isRegularFile(onnxFile)) {
            throw new InferenceException("ONNX file " + onnxFile + " does not exist");
        }
        OrtEnvironment env = environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnxFile.toString(), options)) {
            return new OnnxSignature(specs(onnxFile, "input", session.getInputInfo()),
                    specs(onnxFile, "output", session.getOutputInfo()));
        } catch (OrtException e) {
            throw new InferenceException("ONNX file " + onnxFile + " cannot be read by ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /**
     * ONNX Runtime's one environment per JVM. DJL's engine must create it (it sets global thread pools, and fails with
     * "one already exists" when anyone got there first), so the engine is started before the environment is asked for.
     */
    private static OrtEnvironment environment() throws InferenceException {
        try {
            Djl.call(() -> Engine.getEngine(OrtEngine.ENGINE_NAME));
        } catch (Exception e) {
            throw new InferenceException("the " + OrtEngine.ENGINE_NAME + " engine could not start: " + e.getMessage(), e);
        }
        return OrtEnvironment.getEnvironment();
    }

    /** The input called {@code name}, or null. */
    public TensorSpec input(String name) {
        return inputs.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    private static List<TensorSpec> specs(Path file, String kind, Map<String, NodeInfo> nodes) throws InferenceException {
        List<TensorSpec> specs = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new InferenceException("ONNX file " + file + ": " + kind + " '" + node.getName() + "' is "
                        + node.getInfo() + ", not a tensor (sequences and maps are not supported)");
            }
            long[] shape = info.getShape();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = -1;
                }
            }
            specs.add(new TensorSpec(node.getName(), type(file, kind, node.getName(), info.onnxType), shape));
        }
        return specs;
    }

    private static TensorType type(Path file, String kind, String name, TensorInfo.OnnxTensorType t) throws InferenceException {
        return switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> TensorType.FP32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> TensorType.FP64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> TensorType.FP16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> TensorType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> TensorType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> TensorType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> TensorType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> TensorType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> TensorType.BYTES;
            default -> throw new InferenceException("ONNX file " + file + ": " + kind + " '" + name + "' has element type "
                    + t + ", which has no Open Inference Protocol type here");
        };
    }
}
