package org.kinora.inference.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelStoreException;
import org.kinora.core.inference.TensorType;

/** card.json: round trip of the pinned cards, the written form, and errors that name the file and the field. */
class CardJsonTest {

    private static ModelCard pinned(String id) {
        return FetchPlan.bundled().stream().map(FetchPlan::card).filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void everyPinnedCardSurvivesARoundTrip() throws ModelStoreException {
        List<FetchPlan> plans = FetchPlan.bundled();
        assertEquals(List.of("movenet-lightning", "movenet-thunder", "blazepose-full", "selfie-segmentation", "minilm-l6-v2"),
                plans.stream().map(p -> p.card().id()).toList());
        for (FetchPlan p : plans) {
            ModelCard card = p.card();
            String json = CardJson.write(card);
            ModelCard back = CardJson.parse(json, "x/card.json");
            assertEquals(json, CardJson.write(back));
            assertEquals(card.files(), back.files());
            assertEquals(card.source(), back.source());
            assertEquals(card.memoryBytes(), back.memoryBytes());
            for (int i = 0; i < card.outputs().size(); i++) {
                assertEquals(card.outputs().get(i).type(), back.outputs().get(i).type());
                assertArrayEquals(card.outputs().get(i).shape(), back.outputs().get(i).shape());
            }
        }
    }

    @Test
    void writesProtocolTypeNamesAndShapeArrays() throws ModelStoreException {
        ModelCard minilm = pinned("minilm-l6-v2");
        String json = CardJson.write(minilm);
        assertTrue(json.contains("\"datatype\" : \"BYTES\""), json);
        assertTrue(json.contains("\"datatype\" : \"FP32\""), json);
        assertTrue(json.contains("\"shape\" : [ -1, 384 ]") || json.matches("(?s).*\"shape\" : \\[\\s*-1,\\s*384\\s*].*"), json);
        assertTrue(json.contains("\n  \"id\" : \"minilm-l6-v2\""), "pretty-printed: " + json);
        ModelCard back = CardJson.parse(json, "m/card.json");
        assertEquals(TensorType.BYTES, back.inputs().get(0).type());
        assertArrayEquals(new long[] {-1, 384}, back.outputs().get(0).shape());
        assertEquals("sentence-embedding", back.processing());
    }

    @Test
    void errorsNameTheFileAndTheField() {
        String json = CardJson.write(pinned("selfie-segmentation"));
        assertMessage(json.replace("\"FP32\"", "\"FLOAT\""), "field 'outputs[0].datatype'", "FLOAT");
        assertMessage(json.replace("\"path\" : \"selfie.bin\"", "\"path\" : \"../selfie.bin\""), "field 'files[1].path'", "inside the model folder");
        assertMessage(json.replace("\"path\" : \"selfie.bin\"", "\"path\" : \"/etc/passwd\""), "field 'files[1].path'", "relative");
        assertMessage(json.replace("\"bytes\" : 212886", "\"bytes\" : \"many\""), "field 'files[1].bytes'", "whole number");
        assertMessage(json.replace("\"sha256\" : \"8f57", "\"sha256\" : \"XX57"), "field 'files[1].sha256'", "64 lower-case hex");
        assertMessage(json.replace("\"id\" : \"selfie-segmentation\"", "\"id\" : \"Selfie!\""), "field 'id'", "Selfie!");
        assertMessage(json.replace("\"task\" : \"image-segmentation\",", ""), "field 'task'", "missing");
        assertMessage(json.replace("\"memoryBytes\"", "\"memoryByte\""), "field 'memoryByte'", "unknown field");
        assertMessage(json.replace("\"shape\" : [ -1, -1, -1, 3 ]", "\"shape\" : [ -1, 0, -1, 3 ]"), "field 'inputs[0].shape[1]'", "got 0");
        assertMessage("{ \"id\": ", "not valid JSON", "");
    }

    private static void assertMessage(String json, String field, String detail) {
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> CardJson.parse(json, "/models/s/card.json"));
        assertTrue(e.getMessage().startsWith("/models/s/card.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains(detail), e.getMessage());
    }
}
