package org.kinora.cli.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.cli.internal.EffectRegistry;
import org.kinora.cli.internal.Services;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.PoseTracks;
import org.kinora.core.pose.TrackOptions;
import org.kinora.core.time.FrameRate;

/**
 * {@code kinora pose extract}: its options, the frames it asks the media service for, the errors for bad input (one line
 * naming the file or option, exit 1, nothing written), cancellation and the summary. The media service and the pose
 * tracks are in-memory stand-ins (the real extraction has its own tests); the command is what is under test.
 */
class PoseCommandTest {

    @TempDir
    Path dir;

    private final List<DecodeRequest> decoded = new ArrayList<>();
    private final List<Double> extractedAt = new ArrayList<>();
    private int cancelAfter = -1;
    private boolean poseBundle = true;
    private String out;
    private String err;

    @BeforeEach
    void media() throws IOException {
        for (String name : List.of("walk.mp4", "photo.jpg", "song.wav", "notes.txt")) {
            Files.writeString(dir.resolve(name), "stand-in");
        }
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = RootCommand.run(new Services(new EffectRegistry(), List.of(), new Media(), null, null, null,
                poseBundle ? new Tracks() : null), args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void extractsAVideoAtItsOwnRateAndSizeAndPrintsASummary() throws Exception {
        assertEquals(0, run("pose", "extract", path("walk.mp4"), "--out", path("walk.json")), err);
        assertEquals(List.of(new DecodeRequest(0, 49, new FrameRate(10, 1), 64, 36)), decoded, "every frame, the file's own size");
        assertEquals(List.of(10.0), extractedAt);
        assertEquals("{\"format\":\"kinora-pose-track\",\"frames\":50}", Files.readString(dir.resolve("walk.json")));
        assertTrue(out.contains("track: 50 frames at 10 fps, 64x36"), out);
        assertTrue(out.matches("(?s).*\\nnose +50/50 +0\\.90\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nleft_wrist +25/50 +0\\.25\\n.*"), out);
        assertTrue(out.contains("written: " + dir.resolve("walk.json")), out);
        assertTrue(err.contains("50/50 frames 100%"), "progress as apply prints it: " + err);
    }

    @Test
    void aRangeAndAnotherRate() throws Exception {
        assertEquals(0, run("pose", "extract", path("walk.mp4"), "--from", "1", "--to", "2.5", "--fps", "25", "--out",
                path("part.json")), err);
        assertEquals(List.of(new DecodeRequest(25, 61, new FrameRate(25, 1), 64, 36)), decoded);
        assertEquals(List.of(25.0), extractedAt);
        assertTrue(out.contains("track: 37 frames at 25 fps"), out);
        decoded.clear();
        assertEquals(0, run("pose", "extract", path("walk.mp4"), "--from", "40f", "--to", "99", "--out", path("end.json")), err);
        assertEquals(List.of(new DecodeRequest(40, 49, new FrameRate(10, 1), 64, 36)), decoded, "--to past the end is the end");
    }

    @Test
    void aStillGivesAOneFrameTrack() throws Exception {
        assertEquals(0, run("pose", "extract", path("photo.jpg"), "--out", path("rest.json")), err);
        assertEquals(List.of(new DecodeRequest(0, 0, FrameRate.FPS_25, 64, 36)), decoded);
        assertTrue(out.contains("track: 1 frame at 25 fps, 64x36"), out);
    }

    @Test
    void badMediaIsOneLineNamingTheFileAndWritesNothing() throws Exception {
        assertBad("kinora: error: media not found: " + dir.resolve("none.mp4"), "pose", "extract", path("none.mp4"), "--out",
                path("t.json"));
        assertBad("kinora: error: " + dir.resolve("notes.txt") + ": not a media file FFmpeg can read: Invalid data found",
                "pose", "extract", path("notes.txt"), "--out", path("t.json"));
        assertBad("kinora: error: " + dir.resolve("song.wav") + " has no video stream: pose extraction needs pictures",
                "pose", "extract", path("song.wav"), "--out", path("t.json"));
        assertBad("kinora: error: not a media file: " + dir + " is a folder", "pose", "extract", dir.toString(), "--out",
                path("t.json"));
        assertFalse(Files.exists(dir.resolve("t.json")));
        assertTrue(decoded.isEmpty());
    }

    @Test
    void badOptionsAreOneLineNamingTheOption() throws Exception {
        assertBad("kinora: error: --out " + path("t.txt") + ": a pose track is written as JSON; name the file *.json",
                "pose", "extract", path("walk.mp4"), "--out", path("t.txt"));
        assertBad("kinora: error: --out " + dir.resolve("no/t.json") + ": folder " + dir.resolve("no") + " does not exist",
                "pose", "extract", path("walk.mp4"), "--out", dir.resolve("no/t.json").toString());
        Files.writeString(dir.resolve("old.json"), "keep");
        assertBad("kinora: error: --out " + path("old.json") + " already exists (add --force to replace it)",
                "pose", "extract", path("walk.mp4"), "--out", path("old.json"));
        assertEquals("keep", Files.readString(dir.resolve("old.json")));
        assertBad("kinora: error: --from 6 is at or past the end of walk.mp4 (50 frames at 10 fps)",
                "pose", "extract", path("walk.mp4"), "--from", "6", "--out", path("t.json"));
        assertBad("kinora: error: --to 1 is not after --from 2", "pose", "extract", path("walk.mp4"), "--from", "2", "--to",
                "1", "--out", path("t.json"));
        assertBad("kinora: error: --from: 'soon' is not a time in the clip (seconds such as 2.5, a clock such as 1:02.5, or a"
                + " frame number such as 48f)", "pose", "extract", path("walk.mp4"), "--from", "soon", "--out", path("t.json"));
        assertBad("kinora: error: --fps 'fast' is not a frame rate (25, 29.97 or 30000/1001)", "pose", "extract",
                path("walk.mp4"), "--fps", "fast", "--out", path("t.json"));
        assertBad("kinora: error: --fps 1000 is outside 0..240", "pose", "extract", path("walk.mp4"), "--fps", "1000",
                "--out", path("t.json"));
        assertFalse(Files.exists(dir.resolve("t.json")));
        assertTrue(decoded.isEmpty());
        assertEquals(2, run("pose", "extract", path("walk.mp4")), "--out is required: bad usage");
        assertTrue(err.startsWith("kinora: Missing required option: '--out=TRACK.json'"), err);
    }

    @Test
    void forceReplacesAnExistingTrack() throws Exception {
        Files.writeString(dir.resolve("old.json"), "keep");
        assertEquals(0, run("pose", "extract", path("walk.mp4"), "--out", path("old.json"), "--force"), err);
        assertEquals("{\"format\":\"kinora-pose-track\",\"frames\":50}", Files.readString(dir.resolve("old.json")));
    }

    @Test
    void withoutThePoseBundleItSaysSo() throws Exception {
        poseBundle = false;
        assertBad("kinora: error: pose tracks are not available: the pose-animate bundle is not running", "pose", "extract",
                path("walk.mp4"), "--out", path("t.json"));
    }

    @Test
    void cancellingWritesNothing() throws Exception {
        cancelAfter = 7;
        assertEquals(130, run("pose", "extract", path("walk.mp4"), "--out", path("t.json")));
        assertTrue(err.contains("kinora: cancelled; no track was written"), err);
        assertFalse(Files.exists(dir.resolve("t.json")));
    }

    @Test
    void helpExplainsTheFormat() throws Exception {
        assertEquals(0, run("pose", "extract", "--help"), err);
        assertTrue(out.startsWith("Usage: kinora pose extract"), out);
        assertTrue(out.contains("kinora-pose-track") && out.contains("samples/pose/README.md"), out);
        assertEquals(0, run("--help"), err);
        assertTrue(out.contains("pose extract"), out);
    }

    private void assertBad(String message, String... args) {
        assertEquals(1, run(args), out + err);
        assertEquals(message, err.strip(), "one line naming the file or option");
    }

    @Test
    void tracksFoundOnSmallerFramesAreScaledToTheFilesPixels() {
        float[] x = new float[Joint.COUNT];
        float[] y = new float[Joint.COUNT];
        float[] s = new float[Joint.COUNT];
        x[0] = 9.5f;
        y[0] = 4.5f;
        s[0] = 1;
        PoseTrack small = new PoseTrack("t", "movenet", 25, 32, 18, List.of(new Pose(x, y, s)));
        PoseTrack big = PoseCommand.Extract.scaled(small, 1280, 720);
        assertEquals(1280, big.width());
        assertEquals(720, big.height());
        // pixel centres scale: (9.5 + 0.5) * 40 - 0.5
        assertEquals(399.5f, big.frames().get(0).x(Joint.NOSE), 1e-3);
        assertEquals(199.5f, big.frames().get(0).y(Joint.NOSE), 1e-3);
        assertEquals(1f, big.frames().get(0).score(Joint.NOSE));
        assertEquals(List.of(512, 288), java.util.Arrays.stream(org.kinora.core.pose.PoseTracks.analysisSize(1920, 1080)).boxed().toList());
        assertEquals(List.of(64, 36), java.util.Arrays.stream(org.kinora.core.pose.PoseTracks.analysisSize(64, 36)).boxed().toList(),
                "never scaled up");
    }

    /** Probes by file name: a 5 s video at 10 fps, a photo, an audio file, and a file that is not media. */
    private final class Media implements MediaService {
        @Override
        public MediaInfo probe(Path file) throws MediaException {
            return switch (file.getFileName().toString()) {
                case "walk.mp4" -> new MediaInfo(file, 64, 36, new FrameRate(10, 1), 50, 5.0, "h264", "yuv420p",
                        ColorInfo.UNKNOWN, false, false, 0, 0);
                case "photo.jpg" -> new MediaInfo(file, 64, 36, FrameRate.FPS_25, 1, 0.04, "mjpeg", "yuvj420p",
                        ColorInfo.UNKNOWN, true, false, 0, 0);
                case "song.wav" -> new MediaInfo(file, 0, 0, FrameRate.FPS_25, 0, 30, null, null, ColorInfo.UNKNOWN, false,
                        true, 48000, 2);
                default -> throw new MediaException(file + ": not a media file FFmpeg can read: Invalid data found");
            };
        }

        @Override
        public FrameSource open(Path file, DecodeRequest req) throws MediaException {
            MediaInfo info = probe(file);
            decoded.add(req);
            return new FrameSource() {
                long next;

                @Override
                public MediaInfo info() {
                    return info;
                }

                @Override
                public long frameCount() {
                    return req.frameCount();
                }

                @Override
                public VideoFrame next() {
                    return next < req.frameCount()
                            ? new VideoFrame(next++, info.width(), info.height(), ByteBuffer.allocate(info.width() * info.height() * 3))
                            : null;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public FrameSink create(Path output, EncodeSettings settings) {
            throw new AssertionError("nothing is encoded");
        }
    }

    /** One pose per frame: the nose always seen (0.9), the left wrist in every other frame (0.5); cancels when told. */
    private final class Tracks implements PoseTracks {
        @Override
        public PoseTrack read(Path file, TrackOptions options) throws PoseTrackException {
            throw new PoseTrackException("not used");
        }

        @Override
        public PoseTrack retarget(PoseTrack driver, Pose characterRest, boolean pinRoot) throws PoseTrackException {
            throw new PoseTrackException("not used");
        }

        @Override
        public void write(PoseTrack track, Path file) {
            try {
                Files.writeString(file, "{\"format\":\"kinora-pose-track\",\"frames\":" + track.size() + "}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public PoseTrack extract(FrameSource frames, String source, double fps, JobContext job) throws PoseTrackException,
                InterruptedException {
            extractedAt.add(fps);
            List<Pose> poses = new ArrayList<>();
            int w = 0;
            int h = 0;
            try {
                VideoFrame f;
                while (!job.isCancelled() && (f = frames.next()) != null) {
                    w = f.width();
                    h = f.height();
                    float[] x = new float[Joint.COUNT];
                    float[] y = new float[Joint.COUNT];
                    float[] s = new float[Joint.COUNT];
                    s[Joint.NOSE.ordinal()] = 0.9f;
                    s[Joint.LEFT_WRIST.ordinal()] = poses.size() % 2 == 0 ? 0.5f : 0f;
                    poses.add(new Pose(x, y, s));
                    job.progress(poses.size(), frames.frameCount());
                    if (poses.size() == cancelAfter && job instanceof org.kinora.cli.internal.apply.ApplyJob j) {
                        j.cancel();
                    }
                }
            } catch (MediaException e) {
                throw new PoseTrackException(source + ": " + e.getMessage(), e);
            }
            return new PoseTrack(source, "movenet", fps, w, h, poses);
        }
    }
}
