package org.kinora.cli.internal.panel;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kinora.cli.internal.preview.PreviewJob;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.KinoraException;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.kinora.core.pose.BvhView;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTracks;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;

/**
 * The pose page's server side, over the pose track service {@code kinora pose} uses: read a track (any format the
 * effect reads), find a still's joints with MoveNet or read them from a file, retarget a track onto them, and save the
 * (edited) rest pose as a Kinora track beside the project ({@code kinora-poses/}), for the effect's {@code rest}.
 */
final class PosePanel {

    static final String FOLDER = "kinora-poses";
    /** Frames sent to the page at most (a long capture is thinned evenly to fit). */
    static final int MAX_FRAMES = 2000;
    /** A driving clip longer than this is refused (MoveNet reads every frame; a minute takes a while on a CPU). */
    static final int MAX_EXTRACT = 1500;
    private static final String CLIP = "clip:";
    private final Map<String, PoseTrack> fromClips = new java.util.concurrent.ConcurrentHashMap<>();

    private final PoseTracks poses;
    private final MediaService media;
    private final EventHub events;
    /** The clip being read now, if any: one at a time, so a second panel's request waits its turn. */
    private volatile Reading reading;

    PosePanel(PoseTracks poses, MediaService media, EventHub events) {
        this.poses = poses;
        this.media = media;
        this.events = events;
    }

    /**
     * Reading a clip's poses: MoveNet on every frame can take a minute, so each frame's progress goes to the open
     * panels as a {@code pose} event ({@code clip, done, total}) and the user can cancel it.
     */
    private final class Reading implements JobContext {
        private final String id = "pose-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        private final String clip;
        private volatile boolean cancelled;
        private long lastNanos;

        Reading(String clip) {
            this.clip = clip;
        }

        @Override
        public String jobId() {
            return id;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean interactive() {
            // the user waits on the page for it
            return true;
        }

        @Override
        public void progress(long done, long total) {
            long now = System.nanoTime();
            if (done >= total || now - lastNanos > 100_000_000L) {
                lastNanos = now;
                events.publish("pose", Map.of("clip", clip, "done", done, "total", total, "state", "reading"));
            }
        }
    }

    /** Cancels the clip being read, if any; its request answers 409 and nothing is kept. */
    boolean cancel() {
        Reading r = reading;
        if (r == null) {
            return false;
        }
        r.cancelled = true;
        return true;
    }

    private PoseTracks poses() throws KinoraException {
        if (poses == null) {
            throw new KinoraException("pose tracks are not available: the pose-animate bundle is not running");
        }
        return poses;
    }

    /** A track as the effect reads its {@code track}: a file, or {@code clip:REF}, a clip of the project read by MoveNet. */
    Map<String, Object> track(String spec, ProjectDocument doc) throws KinoraException, InterruptedException, PanelApi.ApiError {
        return json(read(spec, doc));
    }

    private PoseTrack read(String spec, ProjectDocument doc) throws KinoraException, InterruptedException, PanelApi.ApiError {
        FrameRate rate = doc.timeline().profile().frameRate();
        if (spec.startsWith(CLIP)) {
            return fromClip(doc, spec.substring(CLIP.length()).strip(), rate);
        }
        Path f = Path.of(spec).toAbsolutePath().normalize();
        if (!Files.isRegularFile(f) && !Files.isDirectory(f)) {
            throw new KinoraException("pose track not found: " + f);
        }
        return poses().read(f, new org.kinora.core.pose.TrackOptions(BvhView.FRONT, rate.fps(), 0));
    }

    /** The still's joints: from a pose file's first frame, or found by MoveNet on the still. */
    Map<String, Object> rest(Clip still, Path file, FrameRate rate) throws KinoraException, InterruptedException {
        MediaInfo info = media.probe(still.resource());
        Pose pose;
        if (file != null) {
            pose = poses().read(file.toAbsolutePath().normalize(), org.kinora.core.pose.TrackOptions.defaults()).frames().get(0);
        } else {
            // MoveNet sees a small square: the still is decoded at most 512 px a side and the joints scaled back
            int[] size = PoseTracks.analysisSize(info.width(), info.height());
            PoseTrack t;
            try (FrameSource frames = media.open(still.resource(), new DecodeRequest(0, 0, rate, size[0], size[1]))) {
                t = poses().extract(frames, still.resource().getFileName().toString(), rate.fps(), new PreviewJob());
            }
            pose = scale(t.frames().get(0), (float) info.width() / size[0], (float) info.height() / size[1]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pose", json(pose));
        m.put("width", info.width());
        m.put("height", info.height());
        return m;
    }

    /** {@code track} retargeted onto the rest pose {@code rest} (in the still's pixels). */
    Map<String, Object> retarget(String track, ProjectDocument doc, JsonNode rest, boolean pin)
            throws KinoraException, PanelApi.ApiError, InterruptedException {
        return json(poses().retarget(read(track, doc), pose(rest), pin));
    }

    /**
     * A clip's poses as MoveNet finds them (as the effect does for {@code track=clip:REF}), kept for the next scrub or
     * retarget of the same clip.
     */
    private PoseTrack fromClip(ProjectDocument doc, String ref, FrameRate rate) throws KinoraException, InterruptedException,
            PanelApi.ApiError {
        Clip c = doc.clip(ref);
        if (c.resource() == null || (c.kind() != ClipKind.VIDEO && c.kind() != ClipKind.IMAGE)) {
            throw new KinoraException("track clip:" + ref + ": clip " + c.ref() + " has no pictures to read poses from");
        }
        if (c.length() > MAX_EXTRACT) {
            throw new KinoraException("track clip:" + ref + ": clip " + c.ref() + " has " + c.length() + " frames; the panel reads up to "
                    + MAX_EXTRACT + " (use 'kinora pose extract' for longer ones)");
        }
        String key = doc.file() + "|" + c.producerId() + "|" + c.in() + "|" + c.out();
        PoseTrack cached = fromClips.get(key);
        if (cached != null) {
            return cached;
        }
        MediaInfo info = media.probe(c.resource());
        int[] size = PoseTracks.analysisSize(info.width(), info.height());
        long first = c.kind() == ClipKind.IMAGE ? 0 : c.in();
        long last = c.kind() == ClipKind.IMAGE ? 0 : c.out();
        PoseTrack t;
        synchronized (this) {
            Reading r = new Reading(c.ref());
            reading = r;
            String state = "failed";
            try (FrameSource frames = media.open(c.resource(), new DecodeRequest(first, last, rate, size[0], size[1]))) {
                t = poses().extract(frames, "clip " + c.ref(), rate.fps(), r);
                state = r.cancelled ? "cancelled" : "done";
            } finally {
                reading = null;
                events.publish("pose", Map.of("clip", c.ref(), "done", 0, "total", c.length(), "state", state));
            }
            if (r.cancelled) {
                throw new PanelApi.ApiError(409, "reading the poses of clip " + c.ref() + " was cancelled", "track");
            }
        }
        float sx = (float) info.width() / size[0];
        float sy = (float) info.height() / size[1];
        List<Pose> scaled = new ArrayList<>();
        for (Pose p : t.frames()) {
            scaled.add(scale(p, sx, sy));
        }
        PoseTrack track = new PoseTrack(t.source(), t.format(), rate.fps(), info.width(), info.height(), scaled);
        fromClips.put(key, track);
        return track;
    }

    /** Writes the rest pose as a one-frame Kinora track into {@code kinora-poses/NAME.json} beside the project. */
    Path save(Path projectDir, String name, JsonNode rest, int width, int height) throws KinoraException, PanelApi.ApiError {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new PanelApi.ApiError(400, "rest pose file name '" + name + "': use 1 to 64 letters, digits, - and _", "name");
        }
        Path dir = projectDir.resolve(FOLDER);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new KinoraException("cannot make " + dir + ": " + e.getMessage(), e);
        }
        Path file = dir.resolve(name + ".json");
        poses().write(new PoseTrack("Kinora panel rest pose", "kinora", 25, width, height, List.of(pose(rest))), file);
        return file;
    }

    static boolean isStill(Clip c) {
        return c.kind() == ClipKind.IMAGE && c.resource() != null;
    }

    private static Pose pose(JsonNode n) throws PanelApi.ApiError {
        float[][] a = new float[3][Joint.COUNT];
        String[] keys = {"x", "y", "s"};
        for (int k = 0; k < 3; k++) {
            JsonNode arr = n.path(keys[k]);
            if (!arr.isArray() || arr.size() != Joint.COUNT) {
                throw new PanelApi.ApiError(400, "a pose has " + Joint.COUNT + " joints: '" + keys[k] + "' must list " + Joint.COUNT + " numbers",
                        "rest");
            }
            for (int j = 0; j < Joint.COUNT; j++) {
                a[k][j] = (float) arr.get(j).asDouble(Double.NaN);
            }
        }
        try {
            return new Pose(a[0], a[1], a[2]);
        } catch (IllegalArgumentException e) {
            throw new PanelApi.ApiError(400, "rest pose: " + e.getMessage(), "rest");
        }
    }

    private static Pose scale(Pose p, float sx, float sy) {
        float[] x = p.xs();
        float[] y = p.ys();
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] *= sx;
            y[j] *= sy;
        }
        return new Pose(x, y, p.scores());
    }

    private static Map<String, Object> json(Pose p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", p.xs());
        m.put("y", p.ys());
        m.put("s", p.scores());
        return m;
    }

    private static Map<String, Object> json(PoseTrack t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", t.source());
        m.put("format", t.format());
        m.put("fps", t.fps());
        m.put("width", t.width());
        m.put("height", t.height());
        m.put("count", t.size());
        int step = Math.max(1, (t.size() + MAX_FRAMES - 1) / MAX_FRAMES);
        List<Object> frames = new ArrayList<>();
        for (int i = 0; i < t.size(); i += step) {
            frames.add(json(t.frames().get(i)));
        }
        m.put("step", step);
        m.put("frames", frames);
        return m;
    }
}
