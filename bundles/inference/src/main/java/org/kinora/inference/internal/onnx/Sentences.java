package org.kinora.inference.internal.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * The sentences of a {@code text BYTES [N]} tensor, checked: strict UTF-8 (a malformed byte is an error naming the
 * element, never a silent U+FFFD), no empty sentence, and each cut at {@link #MAX_CHARS} characters before tokenizing so
 * a huge element cannot make the tokenizer work for long (the model keeps at most 256 word pieces anyway).
 */
final class Sentences {

    /** Characters of a sentence that reach the tokenizer; 256 word pieces of ordinary text need far fewer. */
    static final int MAX_CHARS = 32 * 1024;

    private Sentences() {
    }

    static List<String> of(String model, Tensor text) throws InferenceException {
        if (text.type() != TensorType.BYTES) {
            throw new InvalidInferenceRequestException("model '" + model + "': input '" + text.name() + "' must be BYTES (UTF-8 sentences), got " + text.type());
        }
        long[] shape = text.shape();
        if (shape.length != 1) {
            throw new InvalidInferenceRequestException("model '" + model + "': input '" + text.name() + "' must be BYTES [N] (one sentence per element), got "
                    + shape.length + " dimensions");
        }
        if (shape[0] == 0) {
            throw new InvalidInferenceRequestException("model '" + model + "': input '" + text.name() + "' holds no sentence");
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer b = text.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<String> sentences = new ArrayList<>((int) Math.min(shape[0], 4096));
        for (int i = 0; b.hasRemaining(); i++) {
            int len = b.getInt(); // the Tensor constructor checked every length against the buffer
            ByteBuffer element = b.slice().limit(len);
            b.position(b.position() + len);
            String s;
            try {
                CharBuffer chars = utf8.reset().decode(element);
                s = chars.toString();
            } catch (CharacterCodingException e) {
                throw new InvalidInferenceRequestException("model '" + model + "': sentence " + i + " of '" + text.name() + "' is not valid UTF-8");
            }
            if (s.isBlank()) {
                throw new InvalidInferenceRequestException("model '" + model + "': sentence " + i + " of '" + text.name() + "' is empty");
            }
            sentences.add(cut(s));
        }
        return sentences;
    }

    private static String cut(String s) {
        if (s.length() <= MAX_CHARS) {
            return s;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
