package org.kinora.cli.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.cli.internal.EffectRegistry;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.EffectInfo;
import org.kinora.core.effect.InputKind;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.ProjectHost;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.job.JobState;
import org.kinora.core.job.Progress;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;

/**
 * The apply orchestration: validation before writing, the job's outcome, and what reaches the project. The host and
 * the media service are in-memory stand-ins (they have their own tests); the runner is what is under test.
 */
class ApplyRunnerTest {

    @TempDir
    Path dir;

    private final Profile profile = new Profile(8, 4, FrameRate.FPS_25, 709);
    private final List<String> saved = new ArrayList<>();
    private final List<String> placed = new ArrayList<>();
    private final List<String> finished = new ArrayList<>();

    /** An effect that copies frames, optionally cancelling its job after some, or writing too few. */
    private record CopyEffect(int cancelAfter, int dropLast) implements Effect {
        @Override
        public EffectInfo info() {
            return new EffectInfo("copy", "Copy", "copies frames", InputKind.VIDEO, List.of(ParameterSpec.number("gain", 0, 2, 1, "gain")));
        }

        @Override
        public void render(EffectContext ctx) throws EffectException, InterruptedException {
            try {
                VideoFrame f;
                long n = 0;
                while ((f = ctx.input().next()) != null && !ctx.job().isCancelled()) {
                    if (n < ctx.frameCount() - dropLast) {
                        ctx.output().write(f);
                    }
                    ctx.job().progress(++n, ctx.frameCount());
                    if (n == cancelAfter && ctx.job() instanceof ApplyJob j) {
                        j.cancel();
                    }
                }
            } catch (KinoraException e) {
                throw new EffectException(e.getMessage(), e);
            }
        }
    }

    private ApplyRunner runner(Effect effect) throws Exception {
        EffectRegistry reg = new EffectRegistry();
        reg.add(effect, Map.of("kinora.effect.id", "copy"));
        return new ApplyRunner(reg, List.of(new FakeHost()), new FakeMedia());
    }

    private Path project() throws Exception {
        Path p = dir.resolve("edit.mlt");
        Files.writeString(p, "<mlt/>");
        Files.writeString(dir.resolve("a.mp4"), "media");
        return p;
    }

    @Test
    void successPlacesAndSavesWithProvenance() throws Exception {
        Path p = project();
        ApplyRunner r = runner(new CopyEffect(-1, 0));
        ApplyRunner.Plan plan = r.plan(new ApplyRequest(p, "V1:1", "copy", Map.of("gain", "1.5"), PlacementMode.REPLACE, null, VideoCodec.H264));
        ApplyJob job = new ApplyJob();
        List<Progress> seen = new ArrayList<>();
        job.onProgress(seen::add);
        ApplyResult res = r.run(plan, job, VideoCodec.H264, PlacementMode.REPLACE);
        assertEquals(JobState.SUCCEEDED, job.state());
        assertEquals(10, res.frames());
        assertEquals(List.of(p.toString()), saved);
        assertEquals(1, placed.size());
        assertTrue(placed.get(0).contains("{\"gain\":1.5}") && placed.get(0).contains("frames=10") && placed.get(0).contains("REPLACE"), placed.get(0));
        assertEquals(1, finished.size());
        assertTrue(res.media().startsWith(dir.resolve("kinora-media")), res.media().toString());
        assertTrue(res.media().getFileName().toString().matches("a-copy-[0-9a-f]{6}\\.mp4"), res.media().toString());
        assertEquals(10, seen.get(seen.size() - 1).done());
    }

    /** An effect that reads another clip of the project through its context, then copies its own input. */
    private record OtherClipEffect(List<Long> seen) implements Effect {
        @Override
        public EffectInfo info() {
            return new EffectInfo("copy", "Copy", "reads another clip", InputKind.VIDEO, List.of());
        }

        @Override
        public void render(EffectContext ctx) throws EffectException, InterruptedException {
            try (FrameSource other = ctx.clips().open("V1:1")) {
                seen.add(other.frameCount());
                VideoFrame f;
                while ((f = ctx.input().next()) != null) {
                    ctx.output().write(f);
                }
            } catch (EffectException e) {
                throw e;
            } catch (KinoraException e) {
                throw new EffectException(e.getMessage(), e);
            }
        }
    }

    @Test
    void effectsOpenOtherClipsOfTheProject() throws Exception {
        Path p = project();
        List<Long> seen = new ArrayList<>();
        ApplyRunner r = runner(new OtherClipEffect(seen));
        ApplyRunner.Plan plan = r.plan(new ApplyRequest(p, "V1:1", "copy", Map.of(), PlacementMode.REPLACE, null, VideoCodec.H264));
        r.run(plan, new ApplyJob(), VideoCodec.H264, PlacementMode.REPLACE);
        assertEquals(List.of(10L), seen, "the other clip from its in to its out point");
    }

    @Test
    void cancellationChangesNothing() throws Exception {
        Path p = project();
        ApplyRunner r = runner(new CopyEffect(3, 0));
        ApplyRunner.Plan plan = r.plan(new ApplyRequest(p, "V1:1", "copy", Map.of(), PlacementMode.REPLACE, null, VideoCodec.H264));
        ApplyJob job = new ApplyJob();
        assertNull(r.run(plan, job, VideoCodec.H264, PlacementMode.REPLACE));
        assertEquals(JobState.CANCELLED, job.state());
        assertTrue(saved.isEmpty() && placed.isEmpty() && finished.isEmpty());
        assertFalse(Files.exists(dir.resolve("kinora-media")), "the media folder it made is removed again");
    }

    @Test
    void anEffectThatWritesTooFewFramesFails() throws Exception {
        Path p = project();
        ApplyRunner r = runner(new CopyEffect(-1, 2));
        ApplyRunner.Plan plan = r.plan(new ApplyRequest(p, "V1:1", "copy", Map.of(), PlacementMode.REPLACE, null, VideoCodec.H264));
        ApplyJob job = new ApplyJob();
        EffectException e = assertThrows(EffectException.class, () -> r.run(plan, job, VideoCodec.H264, PlacementMode.REPLACE));
        assertEquals("effect 'copy' wrote 8 frames for clip V1:1, which needs 10", e.getMessage());
        assertEquals(JobState.FAILED, job.state());
        assertTrue(saved.isEmpty() && placed.isEmpty() && finished.isEmpty());
    }

    @Test
    void planRefusesBadRequestsBeforeWritingAnything() throws Exception {
        Path p = project();
        ApplyRunner r = runner(new CopyEffect(-1, 0));
        assertEquals("unknown effect 'blur' (effects: copy)", assertThrows(KinoraException.class,
                () -> r.plan(new ApplyRequest(p, "V1:1", "blur", Map.of(), PlacementMode.REPLACE, null, VideoCodec.H264))).getMessage());
        Path taken = dir.resolve("taken.mlt");
        Files.writeString(taken, "x");
        assertTrue(assertThrows(ProjectException.class,
                () -> r.plan(new ApplyRequest(p, "V1:1", "copy", Map.of(), PlacementMode.REPLACE, taken, VideoCodec.H264)))
                .getMessage().startsWith("output project already exists: " + taken));
        assertTrue(assertThrows(ProjectException.class,
                () -> r.plan(new ApplyRequest(p, "V1:1", "copy", Map.of(), PlacementMode.REPLACE, dir.resolve("o.kdenlive"), VideoCodec.H264)))
                .getMessage().contains("must keep the .mlt extension"));
        assertTrue(assertThrows(ProjectException.class,
                () -> r.plan(new ApplyRequest(dir.resolve("none.mlt"), "V1:1", "copy", Map.of(), PlacementMode.REPLACE, null, VideoCodec.H264)))
                .getMessage().startsWith("project not found: "));
        assertFalse(Files.exists(dir.resolve("kinora-media")));
    }

    @Test
    void progressLineShowsFramesRateAndTimeLeft() {
        assertEquals("[############............] 45/90 frames  50%  3.2 fps  0:14 left",
                ProgressPrinter.format(new Progress(45, 90, 3.2, 14.06)));
        assertEquals("1:01:05", ProgressPrinter.clock(3665));
    }

    private final class FakeHost implements ProjectHost {
        @Override
        public String id() {
            return "fake";
        }

        @Override
        public boolean accepts(Path file) {
            return file.toString().endsWith(".mlt");
        }

        @Override
        public ProjectDocument open(Path file) {
            Clip clip = new Clip("V1", 1, "chain0", file.resolveSibling("a.mp4"), ClipKind.VIDEO, 5, 14, 0);
            Timeline tl = new Timeline(profile, List.of(new Track("V1", TrackKind.VIDEO, List.of(clip))));
            return new ProjectDocument() {
                @Override
                public Path file() {
                    return file;
                }

                @Override
                public String format() {
                    return "fake";
                }

                @Override
                public Timeline timeline() {
                    return tl;
                }

                @Override
                public Clip clip(String ref) throws ProjectException {
                    if (!ref.equals("V1:1")) {
                        throw new ProjectException("no clip " + ref);
                    }
                    return clip;
                }

                @Override
                public void place(Clip c, ResultMedia m, Provenance pr, PlacementMode mode) {
                    placed.add(pr.paramsJson() + " frames=" + m.frameCount() + " " + mode);
                }

                @Override
                public Path save(Path target) {
                    saved.add(target.toString());
                    return target;
                }
            };
        }
    }

    private final class FakeMedia implements MediaService {
        @Override
        public MediaInfo probe(Path file) {
            return new MediaInfo(file, 8, 4, FrameRate.FPS_25, 100, 4, "h264", "yuv420p", ColorInfo.UNKNOWN, false, false, 0, 0);
        }

        @Override
        public FrameSource open(Path file, DecodeRequest req) {
            return new FrameSource() {
                long next = 0;

                @Override
                public MediaInfo info() {
                    return probe(file);
                }

                @Override
                public long frameCount() {
                    return req.frameCount();
                }

                @Override
                public VideoFrame next() {
                    return next < req.frameCount() ? new VideoFrame(next++, 8, 4, ByteBuffer.allocate(96)) : null;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public FrameSink create(Path output, EncodeSettings settings) {
            return new FrameSink() {
                long written;

                @Override
                public void write(VideoFrame frame) {
                    written++;
                }

                @Override
                public Path finish() {
                    finished.add(output.toString());
                    return output;
                }

                @Override
                public long framesWritten() {
                    return written;
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
