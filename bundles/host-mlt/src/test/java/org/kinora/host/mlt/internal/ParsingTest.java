package org.kinora.host.mlt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;

/** Reading the three fixture formats: profile, track names, clip refs, kinds, frames (no media needed to parse). */
class ParsingTest {

    @TempDir
    Path dir;

    private final MltProjectHost host = new MltProjectHost();

    private ProjectDocument open(String fixture) throws Exception {
        Path media = Files.createDirectories(dir.resolve("shared-media"));
        return host.open(Fixtures.project(fixture, dir, media));
    }

    private static List<String> names(Timeline t) {
        return t.tracks().stream().map(Track::name).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.SHOTCUT, Fixtures.SHOTCUT_SAVED})
    void shotcut(String fixture) throws Exception {
        ProjectDocument doc = open(fixture);
        assertEquals("shotcut", doc.format());
        Timeline t = doc.timeline();
        assertEquals(320, t.profile().width());
        assertEquals(180, t.profile().height());
        assertEquals(FrameRate.FPS_25, t.profile().frameRate());
        assertEquals(601, t.profile().colorspace());
        assertEquals(List.of("V1", "V2", "A1"), names(t));
        assertEquals(TrackKind.AUDIO, t.track("A1").orElseThrow().kind());
        assertEquals(3, t.track("V1").orElseThrow().clips().size());
        assertEquals(250, t.length());

        Clip city = doc.clip("V1:2");
        assertEquals("chain2", city.producerId());
        assertEquals(ClipKind.VIDEO, city.kind());
        assertEquals(25, city.in());
        assertEquals(124, city.out());
        assertEquals(100, city.position());
        assertEquals(dir.resolve("media/city.mkv"), city.resource());
        assertEquals(city, doc.clip("v1:2"), "track names are case-insensitive");

        Clip color = doc.clip("V1:3");
        assertEquals(ClipKind.COLOR, color.kind());
        assertEquals(225, color.position(), "blank skipped in position, not in numbering");
        assertNull(color.resource());

        Clip logo = doc.clip("V2:1");
        assertEquals(ClipKind.IMAGE, logo.kind());
        assertEquals(50, logo.position());
        assertEquals(49, logo.out());
        assertEquals(logo, doc.clip("producer1"), "producer id works as a ref");

        assertEquals(ClipKind.AUDIO, doc.clip("A1:1").kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.KDENLIVE_104, Fixtures.KDENLIVE_104_SAVED})
    void kdenlive104(String fixture) throws Exception {
        ProjectDocument doc = open(fixture);
        assertEquals("kdenlive-1.04", doc.format());
        Timeline t = doc.timeline();
        assertEquals(List.of("V1", "V2", "A1"), names(t));
        assertEquals(FrameRate.FPS_25, t.profile().frameRate());
        assertEquals(250, t.length(), "black_track is not a track");
        Clip city = doc.clip("V1:2");
        assertEquals("chain6", city.producerId());
        assertEquals(25, city.in());
        assertEquals(124, city.out());
        assertEquals(100, city.position());
        assertEquals(dir.resolve("media/city.mkv"), city.resource(), "resolved against the root attribute");
        assertEquals(ClipKind.IMAGE, doc.clip("V2:1").kind());
        assertEquals(ClipKind.COLOR, doc.clip("V1:3").kind());
        Clip music = doc.clip("A1:2");
        assertEquals(ClipKind.AUDIO, music.kind());
        assertEquals(100, music.position());
        assertEquals(149, music.out());
    }

    @Test
    void kdenlive104SavedByKdenlive() throws Exception {
        ProjectDocument doc = open(Fixtures.KDENLIVE_104_SAVED);
        // Kdenlive 22.12 writes the main tractor's out as the seek offset (00:20:10.000): not the timeline length
        assertEquals(250, doc.timeline().length());
        // and puts the image and color bin producers straight on the timeline (no per-track copies)
        assertEquals("producer0", doc.clip("V2:1").producerId());
        assertEquals("producer1", doc.clip("V1:3").producerId());
        assertEquals(24, doc.clip("V1:3").out());
        assertEquals(dir.resolve("media/logo.png"), doc.clip("V2:1").resource());
    }

    @Test
    void kdenlive11AtNtscRate() throws Exception {
        ProjectDocument doc = open(Fixtures.KDENLIVE_11);
        assertEquals("kdenlive-1.1", doc.format());
        Timeline t = doc.timeline();
        assertEquals(FrameRate.NTSC_30, t.profile().frameRate());
        // Kdenlive numbers audio from the video outwards: the last audio tractor is A1
        assertEquals(List.of("V1", "V2", "A1", "A2"), names(t));
        assertTrue(t.track("A2").orElseThrow().clips().isEmpty());
        assertEquals(1, t.track("A1").orElseThrow().clips().size());
        assertEquals(240, t.length());
        Clip b = doc.clip("V1:2");
        assertEquals("chain2", b.producerId());
        assertEquals(15, b.in(), "00:00:00.500 at 30000/1001");
        assertEquals(104, b.out(), "00:00:03.470 at 30000/1001");
        assertEquals(90, b.position());
        assertEquals(90, b.length());
        Clip color = doc.clip("V1:3");
        assertEquals(210, color.position());
        assertEquals(ClipKind.COLOR, color.kind());
        Clip logo = doc.clip("V2:1");
        assertEquals(ClipKind.IMAGE, logo.kind());
        assertEquals(30, logo.position());
        assertEquals(44, logo.out());
    }

    @Test
    void unknownRefNamesItAndListsTracks() throws Exception {
        ProjectDocument doc = open(Fixtures.KDENLIVE_104);
        ProjectException e = assertThrows(ProjectException.class, () -> doc.clip("V1:9"));
        assertTrue(e.getMessage().contains("'V1:9'"), e.getMessage());
        assertTrue(e.getMessage().contains("V1 (3 clips), V2 (1 clip), A1 (2 clips)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        ProjectException e2 = assertThrows(ProjectException.class, () -> doc.clip("nosuchproducer"));
        assertTrue(e2.getMessage().contains("'nosuchproducer'") && e2.getMessage().contains("V2 (1 clip)"), e2.getMessage());
    }

    @Test
    void accepts() throws Exception {
        assertTrue(host.accepts(Path.of("x.mlt")));
        assertTrue(host.accepts(Path.of("x.KDENLIVE")));
        assertFalse(host.accepts(Path.of("x.mp4")));
        assertEquals("mlt", host.id());
    }
}
