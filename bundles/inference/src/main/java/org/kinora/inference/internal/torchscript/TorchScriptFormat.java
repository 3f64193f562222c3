package org.kinora.inference.internal.torchscript;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.inference.internal.Djl;
import org.kinora.inference.internal.ImageToImageNetworkModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.ModelFormat;
import org.kinora.inference.internal.RawNetworkModel;

/**
 * A user's TorchScript export ({@code torch.jit.save}, a {@code .pt} file) on DJL's PyTorch engine, with raw tensors
 * (processing {@code none}), or as an image-to-image network ({@link ImageToImageNetworkModel}): the card's inputs are the module's {@code forward} arguments in order, its outputs the
 * returned tensors in order. Weights are mapped to the worker's device when loaded, so a file saved on a GPU loads on
 * the CPU and the other way round.
 */
public final class TorchScriptFormat implements ModelFormat {

    @Override
    public String format() {
        return "torchscript";
    }

    @Override
    public Model open(ModelCard card, Path folder) throws InferenceException {
        boolean image = ImageToImageNetworkModel.Range.of(card.processing()).isPresent();
        if (!"none".equals(card.processing()) && !image) {
            throw new InferenceException("model '" + card.id() + "': format torchscript has no processing '"
                    + card.processing() + "' (none, image-to-image, image-to-image-unit, image-to-image-signed)");
        }
        if (card.files().isEmpty()) {
            throw new InferenceException("model '" + card.id() + "': the card names no file");
        }
        Path pt = folder.resolve(card.files().get(0).path());
        if (image) {
            return new ImageToImageNetworkModel(card, pt, Djl.ENGINE, Map.of("mapLocation", "true"), UnaryOperator.identity());
        }
        return new RawNetworkModel(card, pt, Djl.ENGINE, Map.of("mapLocation", "true"), UnaryOperator.identity());
    }
}
