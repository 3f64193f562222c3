package org.kinora.inference.internal;

import java.nio.file.Path;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;

/**
 * Opens model-store cards of one {@link ModelCard#format()} ({@code tfjs-graph}, {@code onnx}, {@code torchscript}) as
 * {@link Model}s, with the pre/post-processing the card's {@link ModelCard#processing()} names.
 */
public interface ModelFormat {

    /** The card format this opens, e.g. {@code onnx}. */
    String format();

    /**
     * A model for {@code card}, whose files are in {@code folder} and were verified against their sha256. Cheap: files
     * are read when the model is {@linkplain Model#load loaded}.
     *
     * @throws InferenceException when the card asks for processing this format does not have
     */
    Model open(ModelCard card, Path folder) throws InferenceException;
}
