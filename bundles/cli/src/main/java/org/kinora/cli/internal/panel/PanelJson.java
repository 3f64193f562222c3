package org.kinora.cli.internal.panel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The panel's JSON: plain maps, lists and records in, trees out. */
final class PanelJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private PanelJson() {
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a request body; an empty one is an empty object. */
    static JsonNode read(byte[] body) throws PanelApi.ApiError {
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PanelApi.ApiError(400, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""), null);
        }
    }
}
