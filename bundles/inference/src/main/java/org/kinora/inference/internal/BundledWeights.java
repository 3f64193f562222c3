package org.kinora.inference.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.kinora.core.inference.InferenceException;
import org.kinora.inference.internal.neural.TrainStyle;

/**
 * Weights of a network Kinora trained itself, shipped among this bundle's resources beside their card: read with a size
 * bound and checked against the sha256 the card names before anything uses them.
 */
public final class BundledWeights {

    private BundledWeights() {
    }

    /**
     * @param id        the model, named in errors
     * @param resources the resource folder, e.g. {@code /org/kinora/inference/internal/neural/}
     * @param params    the weights' file name, which the card's first file must name
     * @param card      the card's file name
     * @throws InferenceException naming the file when it is missing, too large, or not what the card says
     */
    public static byte[] read(String id, String resources, String params, String card, int maxBytes) throws InferenceException {
        String file = resources + params;
        String cardFile = resources + card;
        String expected;
        try (InputStream in = BundledWeights.class.getResourceAsStream(cardFile)) {
            if (in == null) {
                throw new InferenceException("model '" + id + "': its card " + cardFile + " is missing from the bundle");
            }
            JsonNode node = new ObjectMapper().readTree(in);
            expected = node.path("files").path(0).path("sha256").asText("");
            if (!params.equals(node.path("files").path(0).path("path").asText())) {
                throw new InferenceException("model '" + id + "': card " + cardFile + " does not name " + params);
            }
        } catch (IOException e) {
            throw new InferenceException("model '" + id + "': cannot read its card " + cardFile + ": " + e.getMessage(), e);
        }
        byte[] bytes;
        try (InputStream in = BundledWeights.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new InferenceException("model '" + id + "': its weights " + file + " are missing from the bundle");
            }
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new InferenceException("model '" + id + "': cannot read its weights " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw new InferenceException("model '" + id + "': " + file + " is larger than " + maxBytes + " bytes");
        }
        check(id, file, bytes, expected);
        return bytes;
    }

    /** The sha256 the card names for the weights, or {@code null} when the card is missing or unreadable. */
    public static String cardSha256(String resources, String card) {
        try (InputStream in = BundledWeights.class.getResourceAsStream(resources + card)) {
            if (in == null) {
                return null;
            }
            String h = new ObjectMapper().readTree(in).path("files").path(0).path("sha256").asText("");
            return h.matches("[0-9a-f]{64}") ? h : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Fails naming the file and both hashes when {@code bytes} do not hash to {@code expected}. */
    public static void check(String id, String file, byte[] bytes, String expected) throws InferenceException {
        String actual;
        try {
            actual = TrainStyle.sha256(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array never fails to read
        }
        if (!actual.equals(expected)) {
            throw new InferenceException("model '" + id + "': " + file + " has sha256 " + actual + ", its card says " + expected);
        }
    }
}
