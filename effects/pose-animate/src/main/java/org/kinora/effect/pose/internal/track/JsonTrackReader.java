package org.kinora.effect.pose.internal.track;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;

/**
 * Reads one JSON track file of any kind, streaming: the top level is walked token by token and only one frame (or image,
 * or annotation) at a time is held as a JSON tree, so a long track costs the memory of its poses, not of its text.
 */
final class JsonTrackReader {

    /** Top-level fields kept whole (all small); every other field is skipped unread. */
    private static final Set<String> KEPT = Set.of("format", "version", "skeleton", "fps", "width", "height", "source",
            "joints", "categories");

    private final Path file;
    private final String source;
    private final int maxFrames;
    private OpenPoseFrames openPose;
    private CocoFrames coco;
    private KinoraTrack kinora;
    /** The small top-level fields of an object, as read so far. */
    private final Map<String, JsonNode> top = new HashMap<>();

    JsonTrackReader(Path file, int maxFrames) {
        this.file = file;
        this.source = String.valueOf(file.getFileName());
        this.maxFrames = maxFrames;
    }

    PoseTrack read() throws PoseTrackException {
        try (InputStream in = Files.newInputStream(file); JsonParser p = TrackJson.JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            PoseTrack track;
            if (first == JsonToken.START_ARRAY) {
                track = readArray(p);
            } else if (first == JsonToken.START_OBJECT) {
                track = readObject(p);
            } else {
                throw notATrack();
            }
            if (p.nextToken() != null) {
                throw TrackJson.fail(file, "text after the end of the JSON value (line " + p.currentLocation().getLineNr() + ")");
            }
            if (track == null) {
                throw TrackJson.fail(file, "the track has no frames");
            }
            return track;
        } catch (JsonProcessingException e) {
            throw TrackJson.fail(file, "not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PoseTrackException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** A top-level array: an OpenPose sequence or a plain COCO keypoint list, told apart by the first entry. */
    private PoseTrack readArray(JsonParser p) throws IOException, PoseTrackException {
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode entry = TrackJson.JSON.readTree(p);
            count(i);
            if (i == 0) {
                if (OpenPoseFrames.isFrame(entry)) {
                    openPose = new OpenPoseFrames(file);
                } else if (CocoFrames.isPlainEntry(entry)) {
                    coco = new CocoFrames(file);
                } else {
                    throw notATrack();
                }
            }
            if (openPose != null) {
                openPose.add(entry, "frame " + i);
            } else {
                coco.addPlain(entry, i);
            }
            i++;
        }
        return openPose != null ? openPose.finish(source) : coco != null ? coco.finish(source, false) : null;
    }

    private PoseTrack readObject(JsonParser p) throws IOException, PoseTrackException {
        boolean annotationFile = false;
        JsonNode people = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "frames" -> frames(p, value);
                case "images", "annotations" -> {
                    annotationFile = true;
                    cocoList(p, value, name);
                }
                case "people" -> people = TrackJson.JSON.readTree(p);
                default -> {
                    if (KEPT.contains(name)) {
                        top.put(name, TrackJson.JSON.readTree(p));
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        JsonNode format = top.get("format");
        if (format != null) {
            if (!KinoraTrack.FORMAT.equals(format.asText())) {
                throw TrackJson.fail(file, "unknown track format " + TrackJson.show(format) + "; " + ACCEPTED);
            }
            if (openPose != null) {
                throw TrackJson.fail(file, "frame 0: a Kinora track frame is a list of [x, y, score] triples, not an object");
            }
            return (kinora == null ? new KinoraTrack(file, top) : kinora).finish(source);
        }
        if (kinora != null) {
            throw TrackJson.fail(file, "frames of [x, y, score] lists but no \"format\": \"" + KinoraTrack.FORMAT + "\"; "
                    + ACCEPTED);
        }
        if (annotationFile) {
            coco.categories(top.get("categories"));
            return coco.finish(source, true);
        }
        if (people != null) {
            openPose = new OpenPoseFrames(file);
            openPose.add(TrackJson.JSON.createObjectNode().set("people", people), "frame 0");
            return openPose.finish(source);
        }
        if (openPose != null) {
            return openPose.finish(source);
        }
        throw notATrack();
    }

    /** {@code "frames"}: per-frame OpenPose objects, or Kinora frames (lists of triples). */
    private void frames(JsonParser p, JsonToken value) throws IOException, PoseTrackException {
        if (value != JsonToken.START_ARRAY) {
            throw TrackJson.fail(file, "\"frames\" is not a list");
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode frame = TrackJson.JSON.readTree(p);
            count(i);
            if (i == 0) {
                if (OpenPoseFrames.isFrame(frame)) {
                    openPose = new OpenPoseFrames(file);
                } else if (KinoraTrack.isFrame(frame)) {
                    kinora = new KinoraTrack(file, top);
                } else {
                    throw TrackJson.fail(file, "frame 0: neither an OpenPose frame (an object with \"people\") nor a list"
                            + " of [x, y, score] triples");
                }
            }
            if (openPose != null) {
                openPose.add(frame, "frame " + i);
            } else {
                kinora.add(frame, i);
            }
            i++;
        }
    }

    private void cocoList(JsonParser p, JsonToken value, String name) throws IOException, PoseTrackException {
        if (value != JsonToken.START_ARRAY) {
            throw TrackJson.fail(file, "\"" + name + "\" is not a list");
        }
        if (coco == null) {
            coco = new CocoFrames(file);
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode entry = TrackJson.JSON.readTree(p);
            count(i);
            if (name.equals("images")) {
                coco.addImage(entry, i);
            } else {
                coco.addAnnotation(entry, i);
            }
            i++;
        }
    }

    private void count(int index) throws PoseTrackException {
        if (index >= maxFrames) {
            throw TrackJson.fail(file, "more than " + maxFrames + " frames");
        }
    }

    private PoseTrackException notATrack() {
        return TrackJson.fail(file, "not a pose track of a known kind; " + ACCEPTED);
    }

    static final String ACCEPTED = "accepted: a Kinora track ({\"format\": \"kinora-pose-track\", ...}), OpenPose JSON"
            + " (a per-frame object with \"people\", a list of them, {\"frames\": [...]}, or a folder of *_keypoints.json"
            + " files), COCO-17 keypoints (a COCO file with \"images\" and \"annotations\", or a list of objects with"
            + " \"keypoints\"), or BVH motion capture";
}
