package org.kinora.inference.internal.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The input pictures of the TF.js reference fixtures are exactly what the translators prepare today. With
 * {@code -Dkinora.tfjs.writeInputs=true} it rewrites them instead (see src/test/reference/tfjs/README.md); the node script
 * then computes the reference outputs from these same bytes.
 */
class ReferenceInputsTest {

    @Test
    void inputsMatchTranslators() throws Exception {
        boolean write = Boolean.getBoolean("kinora.tfjs.writeInputs");
        StringBuilder index = new StringBuilder("[\n");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (TfjsFixtures.Case c : TfjsFixtures.CASES) {
                byte[] now;
                try (NDArray pic = TfjsFixtures.inputPicture(m, c)) {
                    now = pic.toByteArray();
                }
                assertTrue(now.length == c.size() * c.size() * 3, c.name() + ": input is " + now.length + " bytes");
                Path p = TfjsFixtures.SOURCE_DIR.resolve(TfjsFixtures.inputFile(c));
                index.append(index.length() > 2 ? ",\n" : "").append(String.format(
                        "  {\"case\": \"%s\", \"model\": \"%s/%s\", \"input\": \"%s\", \"size\": %d, \"dtype\": \"%s\", \"outputs\": [%s]}",
                        c.name(), c.model(), c.modelFile(), TfjsFixtures.inputFile(c), c.size(), c.floatInput() ? "float32" : "int32",
                        String.join(", ", c.outputs().stream().map(o -> "\"" + o + "\"").toList())));
                if (write) {
                    TfjsFixtures.writeGz(p, now);
                } else {
                    assertTrue(Files.isRegularFile(p), "missing fixture " + p + " (see src/test/reference/tfjs/README.md)");
                    assertArrayEquals(TfjsFixtures.readGz(p), now, c.name() + ": the translator's input differs from the fixture "
                            + p + "; regenerate the references (src/test/reference/tfjs/README.md)");
                }
            }
        }
        if (write) {
            Files.writeString(TfjsFixtures.SOURCE_DIR.resolve("inputs.json"), index.append("\n]\n").toString());
        }
    }
}
