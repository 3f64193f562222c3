package org.kinora.cli.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kinora.core.effect.EffectException;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;

/**
 * Other clips for effects: resolved like {@code --clip}, refused without pictures, decoded from in to out at the
 * project's rate and size, and every failure an {@link EffectException} naming the clip. The project and the media
 * service are in-memory stand-ins; the resolver is what is under test.
 */
class ProjectClipFramesTest {

    private final Profile profile = new Profile(64, 36, FrameRate.FPS_25, 709);
    private final Path dir = Path.of("/projects");
    private final Clip video = new Clip("V2", 1, "chain3", dir.resolve("walk.mp4"), ClipKind.VIDEO, 12, 41, 100);
    private final Clip broken = new Clip("V2", 2, "chain4", dir.resolve("broken.mp4"), ClipKind.VIDEO, 0, 9, 200);
    private final Clip audio = new Clip("A1", 1, "chain5", dir.resolve("music.wav"), ClipKind.AUDIO, 0, 99, 0);
    private final Clip colour = new Clip("V3", 1, "black", null, ClipKind.COLOR, 0, 24, 0);
    private final List<DecodeRequest> requests = new ArrayList<>();

    private ProjectClipFrames clips() {
        return new ProjectClipFrames(new Doc(), new Media(), "pose-animate");
    }

    @Test
    void opensAClipFromItsInToItsOutAtTheProjectsRateAndSize() throws Exception {
        for (String ref : List.of("V2:1", "chain3")) {
            requests.clear();
            try (FrameSource s = clips().open(ref)) {
                assertEquals(30, s.frameCount());
                assertEquals(64, s.next().width());
            }
            assertEquals(List.of(new DecodeRequest(12, 41, FrameRate.FPS_25, 64, 36)), requests);
        }
        requests.clear();
        try (FrameSource s = clips().open("V2:1", 32, 18)) {
            assertEquals(30, s.frameCount());
        }
        assertEquals(List.of(new DecodeRequest(12, 41, FrameRate.FPS_25, 32, 18)), requests, "at the size asked for");
    }

    @Test
    void clipsWithoutPicturesOrUnknownAreRefusedWithTheApplyMessages() {
        assertEquals("no clip V9:1 in edit.mlt (tracks: V2, V3, A1)",
                assertThrows(EffectException.class, () -> clips().open("V9:1")).getMessage());
        assertEquals("clip A1:1 (music.wav) is audio only; effect 'pose-animate' needs pictures",
                assertThrows(EffectException.class, () -> clips().open("A1:1")).getMessage());
        assertEquals("clip V3:1 (black) has no media file for effect 'pose-animate'",
                assertThrows(EffectException.class, () -> clips().open("V3:1")).getMessage());
        assertTrue(requests.isEmpty(), "nothing opened");
    }

    @Test
    void aDecodingFailureNamesTheClipAndTheFile() {
        String m = assertThrows(EffectException.class, () -> clips().open("V2:2")).getMessage();
        assertEquals("clip V2:2 (/projects/broken.mp4): cannot decode /projects/broken.mp4: invalid data", m);
    }

    private final class Doc implements ProjectDocument {
        @Override
        public Path file() {
            return dir.resolve("edit.mlt");
        }

        @Override
        public String format() {
            return "fake";
        }

        @Override
        public Timeline timeline() {
            return new Timeline(profile, List.of(new Track("V2", TrackKind.VIDEO, List.of(video, broken)),
                    new Track("V3", TrackKind.VIDEO, List.of(colour)), new Track("A1", TrackKind.AUDIO, List.of(audio))));
        }

        @Override
        public Clip clip(String ref) throws ProjectException {
            for (Clip c : List.of(video, broken, audio, colour)) {
                if (c.ref().equals(ref) || c.producerId().equals(ref)) {
                    return c;
                }
            }
            throw new ProjectException("no clip " + ref + " in edit.mlt (tracks: V2, V3, A1)");
        }

        @Override
        public void place(Clip clip, ResultMedia media, Provenance provenance, PlacementMode mode) {
            throw new AssertionError("an effect's other clip is only read");
        }

        @Override
        public Path save(Path target) {
            throw new AssertionError("an effect's other clip is only read");
        }
    }

    private final class Media implements MediaService {
        @Override
        public MediaInfo probe(Path file) {
            return new MediaInfo(file, 64, 36, FrameRate.FPS_25, 100, 4, "h264", "yuv420p", ColorInfo.UNKNOWN, false, false, 0, 0);
        }

        @Override
        public FrameSource open(Path file, DecodeRequest req) throws MediaException {
            if (file.getFileName().toString().equals("broken.mp4")) {
                throw new MediaException("cannot decode " + file + ": invalid data");
            }
            requests.add(req);
            return BlankFrames.of(probe(file), req);
        }

        @Override
        public FrameSink create(Path output, EncodeSettings settings) {
            throw new AssertionError("nothing is written");
        }
    }
}
