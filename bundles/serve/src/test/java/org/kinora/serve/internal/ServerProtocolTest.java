package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.inference.internal.InferenceServiceImpl;

/** The protocol's endpoints on a real server over the real inference service: metadata, health, inference, errors, token. */
class ServerProtocolTest {

    static InferenceServiceImpl local;
    static OipServer server;
    static URI v2;

    @BeforeAll
    static void start() throws Exception {
        local = new InferenceServiceImpl();
        server = OipServer.start(local, OipServer.Limits.defaults(), "127.0.0.1", 0, null);
        v2 = server.address();
    }

    @AfterAll
    static void stop() {
        server.close();
        local.close();
    }

    @Test
    void metadataAndHealth() throws Exception {
        assertTrue(v2.toString().matches("http://127\\.0\\.0\\.1:\\d+/v2"), v2.toString());
        JsonNode meta = Http.get(v2, "", null).json();
        assertEquals("kinora", meta.path("name").asText());
        assertTrue(meta.path("version").asText().length() > 0);
        assertEquals("model_repository", meta.path("extensions").get(0).asText());
        assertEquals(200, Http.get(v2, "/health/live", null).status());
        assertEquals(200, Http.get(v2, "/health/ready", null).status());

        JsonNode index = Http.post(v2, "/repository/index", "{}", null).json();
        List<String> names = new ArrayList<>();
        index.forEach(e -> {
            names.add(e.path("name").asText());
            assertEquals("READY", e.path("state").asText());
        });
        assertEquals(local.models().stream().map(m -> m.id()).toList(), names);

        JsonNode model = Http.get(v2, "/models/style-cartoon", null).json();
        assertEquals("style-cartoon", model.path("name").asText());
        assertEquals("builtin", model.path("platform").asText());
        assertEquals("1", model.path("versions").get(0).asText());
        JsonNode in = model.path("inputs").get(0);
        assertEquals("frames", in.path("name").asText());
        assertEquals("UINT8", in.path("datatype").asText());
        assertEquals("[-1,-1,-1,3]", in.path("shape").toString());
        assertEquals("frames", model.path("outputs").get(0).path("name").asText());
        assertEquals(model, Http.get(v2, "/models/style-cartoon/versions/1", null).json());
        assertEquals(200, Http.get(v2, "/models/style-pencil/ready", null).status());
        assertEquals(200, Http.get(v2, "/models/style-pencil/versions/1/ready", null).status());

        Http.Answer unknown = Http.get(v2, "/models/teleport", null);
        assertEquals(404, unknown.status());
        assertTrue(unknown.error().contains("unknown model 'teleport'") && unknown.error().contains("style-cartoon"), unknown.body());
        assertEquals(404, Http.get(v2, "/models/teleport/ready", null).status());
        assertEquals(404, Http.get(v2, "/models/style-cartoon/versions/2", null).status());
        assertEquals(404, Http.get(v2, "/models/style-cartoon/explain", null).status());
        assertEquals(404, Http.get(v2, "/nothing", null).status());
        assertEquals(404, Http.get(URI.create(v2.toString().replace("/v2", "")), "/index.html", null).status());
        assertEquals(405, Http.get(v2, "/models/style-cartoon/infer", null).status());
    }

    @Test
    void inferenceGivesTheLocalResult() throws Exception {
        Tensor frames = Http.frames(1, 1, 20, 28);
        Http.Answer a = Http.post(v2, "/models/style-paint/infer", Http.inferBody("req-1", frames, "{\"strength\": 0.6}"), null);
        assertEquals(200, a.status(), a.body());
        InferJson.Response r = InferJson.readResponse(new java.io.ByteArrayInputStream(a.body().getBytes()));
        assertEquals("style-paint", r.modelName());
        assertEquals("req-1", r.id());
        Tensor out = r.outputs().get(0);
        assertEquals("frames", out.name());
        assertArrayEquals(frames.shape(), out.shape());
        Tensor expected = local.infer(new InferenceRequest("style-paint", List.of(frames), java.util.Map.of("strength", 0.6), "t",
                Priority.INTERACTIVE)).outputs().get(0);
        assertArrayEquals(Http.bytes(expected), Http.bytes(out));
        // a request without an id still gets one, and the versioned path works
        Http.Answer b = Http.post(v2, "/models/style-paint/versions/1/infer", Http.inferBody(null, frames, "{\"strength\": 0.6,"
                + " \"priority\": \"interactive\", \"job_id\": \"j-7\"}"), null);
        assertEquals(200, b.status(), b.body());
        assertTrue(b.json().path("id").asText().length() > 0);
    }

    private static void refused(int status, String path, String body, String... expected) throws Exception {
        Http.Answer a = Http.post(v2, path, body, null);
        assertEquals(status, a.status(), a.body());
        String error = a.error();
        for (String e : expected) {
            assertTrue(error.contains(e), "'" + e + "' in: " + error);
        }
    }

    @Test
    void badRequestsAreAnsweredWithTheirReason() throws Exception {
        String infer = "/models/style-cartoon/infer";
        refused(400, infer, "{\"inputs\": [", "malformed JSON");
        refused(400, infer, "not json", "malformed JSON");
        refused(400, infer, "[]", "the request must be an object");
        refused(400, infer, "{\"inputs\":[{\"name\":\"frames\",\"shape\":[1,2,2,3],\"datatype\":\"FP32\",\"data\":[0,0,0,0,0,0,0,0,0,0,0,0]}]}",
                "'frames' must be UINT8, got FP32");
        refused(400, infer, "{\"inputs\":[{\"name\":\"frames\",\"shape\":[2,2,3],\"datatype\":\"UINT8\",\"data\":[0,0,0,0,0,0,0,0,0,0,0,0]}]}",
                "'frames' must have shape [-1, -1, -1, 3]");
        refused(400, infer, "{\"inputs\":[{\"name\":\"frames\",\"shape\":[1,2,2,3],\"datatype\":\"UINT8\",\"data\":[0,0,0]}]}",
                "needs 12 elements, its data holds 3");
        refused(400, infer, "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,2,2,3],\"datatype\":\"UINT8\",\"data\":[0,0,0,0,0,0,0,0,0,0,0,0]}]}",
                "has no input 'image'", "'frames' UINT8");
        refused(400, infer, "{\"inputs\":[]}", "missing input 'frames'");
        String ok = "{\"name\":\"frames\",\"shape\":[1,2,2,3],\"datatype\":\"UINT8\",\"data\":[0,0,0,0,0,0,0,0,0,0,0,0]}";
        refused(400, infer, "{\"inputs\":[" + ok + "],\"outputs\":[{\"name\":\"mask\"}]}", "no output 'mask'");
        refused(400, infer, "{\"parameters\":{\"priority\":\"urgent\"},\"inputs\":[" + ok + "]}", "'priority'", "interactive");
        // checked by the model itself when it runs: still the request's fault, so 400
        refused(400, infer, "{\"parameters\":{\"strength\":2},\"inputs\":[" + ok + "]}", "strength", "[0, 1]");
        refused(404, "/models/teleport/infer", "{\"inputs\":[" + ok + "]}", "unknown model");
        // the server still answers well
        Http.Answer fine = Http.post(v2, infer, "{\"inputs\":[" + ok + "],\"outputs\":[{\"name\":\"frames\"}]}", null);
        assertEquals(200, fine.status(), fine.body());
    }

    @Test
    void tokenGuardsEverythingButHealth() throws Exception {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OipServer.start(local, OipServer.Limits.defaults(), "0.0.0.0", 0, null));
        assertTrue(e.getMessage().contains("refusing to listen on 0.0.0.0 without a token"), e.getMessage());
        assertThrows(InferenceException.class, () -> OipServer.start(local, OipServer.Limits.defaults(), "0.0.0.0", 0, "  "));

        String token = "s3cret-token";
        try (OipServer guarded = OipServer.start(local, OipServer.Limits.defaults(), "127.0.0.1", 0, token)) {
            URI g = guarded.address();
            assertEquals(200, Http.get(g, "/health/live", null).status());
            assertEquals(200, Http.get(g, "/health/ready", null).status());
            assertEquals(401, Http.get(g, "", null).status());
            assertEquals(401, Http.get(g, "/models/style-cartoon", "wrong").status());
            assertEquals(401, Http.get(g, "/models/style-cartoon", token + "x").status());
            assertEquals(401, Http.post(g, "/repository/index", "{}", null).status());
            String body = Http.inferBody("a", Http.frames(2, 1, 8, 8), null);
            Http.Answer denied = Http.post(g, "/models/style-cartoon/infer", body, "nope");
            assertEquals(401, denied.status());
            assertTrue(!denied.body().contains(token), "the token is never echoed");
            assertEquals(200, Http.get(g, "/models/style-cartoon", token).status());
            assertEquals(200, Http.post(g, "/models/style-cartoon/infer", body, token).status());
        }
        // with a token, any address may be bound
        try (OipServer open = OipServer.start(local, OipServer.Limits.defaults(), "0.0.0.0", 0, token)) {
            URI loop = URI.create("http://127.0.0.1:" + open.address().getPort() + "/v2");
            assertEquals(200, Http.get(loop, "/models/style-cartoon", token).status());
            assertEquals(401, Http.get(loop, "/models/style-cartoon", null).status());
        }
    }

    @Test
    void aSiteBesideTheProtocolAnswersEverythingOutsideV2() throws Exception {
        String token = "s3cret-token";
        com.sun.net.httpserver.HttpHandler site = ex -> {
            byte[] b = ("site: " + ex.getRequestURI().getPath()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        };
        try (OipServer both = OipServer.start(local, OipServer.Limits.defaults(), "127.0.0.1", 0, token, true, site)) {
            URI root = URI.create("http://127.0.0.1:" + both.address().getPort());
            Http.Answer page = Http.get(root, "/", null);
            assertEquals(200, page.status());
            assertEquals("site: /", page.body());
            assertEquals("site: /api/state", Http.get(root, "/api/state", null).body());
            // the protocol keeps /v2 and its token: the site does not open it
            URI v2 = both.address();
            assertEquals(401, Http.get(v2, "/models/style-cartoon", null).status());
            assertEquals(200, Http.get(v2, "/models/style-cartoon", token).status());
            assertEquals(200, Http.get(v2, "/health/live", null).status());
        }
        // without a site, paths outside /v2 are not found
        URI plain = URI.create("http://127.0.0.1:" + server.address().getPort());
        Http.Answer none = Http.get(plain, "/", null);
        assertEquals(404, none.status());
        assertTrue(none.body().contains("the protocol lives under /v2"), none.body());
    }
}
