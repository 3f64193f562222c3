package org.kinora.host.mlt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;
import org.kinora.host.mlt.internal.TimelineModel.ClipSite;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Inserting generated media (made from no clip) on each format, judged by the real melt: the new top track plays the
 * media frame for frame from the asked frame on, every other frame of the old timeline is unchanged, and a timeline
 * that the media outlasts grows to its end (black in any gap).
 */
class InsertRenderTest {

    private static final int MEDIA_FRAMES = 30;
    private static final Provenance PROV = new Provenance("generate", "job-0a1b2c3d4e5f",
            "{\"prompt\":\"a red ball rolls left\",\"seed\":7,\"steps\":12}");

    @TempDir
    static Path shared;
    static Path media;

    private static int cases;

    @BeforeAll
    static void makeMedia() throws Exception {
        Fixtures.assumeTools();
        media = shared.resolve("media");
        Fixtures.makeMedia(media);
    }

    /** {@code at}: a frame, or {@code end+N} for N frames past the timeline's end. */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
            Fixtures.SHOTCUT + ", 0, 25",
            Fixtures.SHOTCUT + ", 60, 25",
            Fixtures.SHOTCUT + ", end+20, 25",
            Fixtures.KDENLIVE_104 + ", 0, 25",
            Fixtures.KDENLIVE_104 + ", 60, 25",
            Fixtures.KDENLIVE_104 + ", end+20, 25",
            Fixtures.KDENLIVE_11 + ", 0, 30000/1001",
            Fixtures.KDENLIVE_11 + ", 60, 30000/1001",
            Fixtures.KDENLIVE_11 + ", end+20, 30000/1001",
            Fixtures.SHOTCUT_SAVED + ", end+20, 25",
            Fixtures.KDENLIVE_104_SAVED + ", end+20, 25",
    })
    void insertThenRender(String fixture, String at, String rate) throws Exception {
        Path dir = Files.createDirectories(shared.resolve("case" + cases++));
        Path project = Fixtures.project(fixture, dir, media);
        MltProjectHost host = new MltProjectHost();
        MltProjectDocument doc = (MltProjectDocument) host.open(project);
        long length = doc.timeline().length();
        long atFrame = at.startsWith("end+") ? length + Long.parseLong(at.substring(4)) : Long.parseLong(at);
        long end = Math.max(length, atFrame + MEDIA_FRAMES);
        List<Track> tracksBefore = doc.timeline().tracks();
        long videoBefore = tracksBefore.stream().filter(t -> t.kind() == TrackKind.VIDEO).count();
        String groupsBefore = PlacementRenderTest.groups(project);
        byte[] before = Fixtures.render(project, length);
        assertEquals(length, Fixtures.frameCount(before), "fixture renders its timeline length");

        Path result = Fixtures.resultMedia(dir.resolve("kinora-media"), "generate-0a1b2c.mkv", MEDIA_FRAMES, rate);
        byte[] expected = Fixtures.decode(result);
        doc.insert(new ResultMedia(result, MEDIA_FRAMES, 320, 180, false), atFrame, PROV);
        assertEquals(end, doc.timeline().length(), "the timeline reaches the media's end");
        doc.save(project);

        byte[] after = Fixtures.render(project, end);
        assertEquals(end, Fixtures.frameCount(after), "melt plays the grown timeline to its end");
        int inside = 0;
        int unchanged = 0;
        int gap = 0;
        for (int f = 0; f < end; f++) {
            if (f >= atFrame && f < atFrame + MEDIA_FRAMES) {
                int m = (int) (f - atFrame);
                double d = Fixtures.diff(after, f, expected, m);
                assertTrue(d < 1.0, fixture + " frame " + f + " should be media frame " + m + ", diff " + d);
                if (m > 0) {
                    assertTrue(Fixtures.diff(after, f, expected, m - 1) > 2.0, "frame-exact at " + f);
                }
                inside++;
            } else if (f < length) {
                assertEquals(0.0, Fixtures.diff(before, f, after, f), fixture + " frame " + f + " outside the media changed");
                unchanged++;
            } else {
                assertTrue(mean(after, f) < 2.0, fixture + " frame " + f + " in the gap should be black, mean " + mean(after, f));
                gap++;
            }
        }
        assertEquals(MEDIA_FRAMES, inside);
        System.out.printf("%s at %d: %d frames before, %d after; %d equal the media, %d unchanged, %d black gap%n",
                fixture, atFrame, length, end, inside, unchanged, gap);

        // the saved project, reopened: one more video track, on top, named as the editor would
        MltProjectDocument reopened = (MltProjectDocument) host.open(project);
        List<Track> tracks = reopened.timeline().tracks();
        assertEquals(tracksBefore.size() + 1, tracks.size());
        Track top = tracks.stream().filter(t -> t.kind() == TrackKind.VIDEO).reduce((a, b) -> b).orElseThrow();
        assertEquals("V" + (videoBefore + 1), top.name());
        assertEquals(1, top.clips().size());
        Clip placed = top.clips().get(0);
        assertEquals(atFrame, placed.position());
        assertEquals(MEDIA_FRAMES, placed.length());
        assertEquals(result, placed.resource());
        for (Track t : tracksBefore) {
            assertEquals(t, reopened.timeline().track(t.name()).orElseThrow(), "track " + t.name() + " untouched");
        }
        ClipSite site = reopened.model().clips().stream().filter(s -> s.clip().equals(placed)).findFirst().orElseThrow();
        assertEquals(reopened.model().tracks().get(reopened.model().tracks().size() - 1), site.track(),
                "the new track is the last of the main tractor, above every other");

        // melt was told where to stop; the editors play to the tractors' own out points
        Element main = reopened.model().mainTractor();
        long mainOut = MltTime.toFrames(main.getAttribute("out"), reopened.timeline().profile().frameRate());
        assertTrue(mainOut >= end - 1, "the main tractor plays to the media's end: out " + mainOut);
        if (!fixture.equals(Fixtures.KDENLIVE_104_SAVED)) {
            // (Kdenlive 22.12 itself saves that one with the seek offset of notes/hosts.md: ~30,000 frames)
            assertEquals(end - 1, mainOut, "and no further");
        }

        Document xml = PlacementRenderTest.parse(project);
        Element produced = PlacementRenderTest.byId(xml, placed.producerId());
        assertEquals("generate", PlacementRenderTest.prop(produced, "kinora:effect"));
        assertEquals("job-0a1b2c3d4e5f", PlacementRenderTest.prop(produced, "kinora:job"));
        assertEquals(PROV.paramsJson(), PlacementRenderTest.prop(produced, "kinora:params"));
        assertNull(PlacementRenderTest.prop(produced, "kinora:original.producer"), "generated media has no original");
        PlacementRenderTest.assertDefinedBeforeUse(xml);
        Set<String> binResources = new HashSet<>();
        for (Element e : Dom.children(ProjectFormat.mainBin(xml), "entry")) {
            binResources.add(PlacementRenderTest.prop(PlacementRenderTest.byId(xml, e.getAttribute("producer")), "resource"));
        }
        assertTrue(binResources.contains("kinora-media/" + result.getFileName()), binResources.toString());
        if (fixture.startsWith("shotcut")) {
            assertEquals("V" + (videoBefore + 1), Dom.prop(site.playlist(), "shotcut:name"));
        } else {
            assertEquals(groupsBefore, PlacementRenderTest.groups(project), "Kdenlive groups untouched");
            Set<String> binIds = new HashSet<>();
            for (Element e : Dom.children(ProjectFormat.mainBin(xml), "entry")) {
                String id = PlacementRenderTest.prop(PlacementRenderTest.byId(xml, e.getAttribute("producer")), "kdenlive:id");
                assertNotNull(id, "bin clip without kdenlive:id");
                binIds.add(id.trim());
            }
            for (ClipSite s : reopened.model().clips()) {
                String onEntry = PlacementRenderTest.prop(s.entry(), "kdenlive:id");
                assertNotNull(onEntry, s.clip().ref() + " entry has kdenlive:id");
                assertTrue(binIds.contains(onEntry.trim()), s.clip().ref() + " id " + onEntry + " in bin " + binIds);
            }
            assertEquals("1", PlacementRenderTest.prop(produced, "set.test_audio"), "picture-only on a video track");
            assertEquals(2, Dom.children(site.track().element(), "track").size(), "a Kdenlive track is two playlists");
        }
        if (fixture.equals(Fixtures.KDENLIVE_11)) {
            Element sequence = reopened.model().mainTractor();
            assertEquals(Long.toString(tracksBefore.size() + 1), Dom.prop(sequence, "kdenlive:sequenceproperties.tracksCount"));
            assertTrue(Long.parseLong(Dom.prop(sequence, "kdenlive:maxduration").trim()) >= end);
        }
    }

    @Test
    void refusesANegativeFrameAndMissingMediaLeavingTheDocumentAsItWas() throws Exception {
        Path dir = Files.createDirectories(shared.resolve("errors"));
        Path project = Fixtures.project(Fixtures.KDENLIVE_104, dir, media);
        MltProjectDocument doc = (MltProjectDocument) new MltProjectHost().open(project);
        byte[] xml = doc.serialize();
        Path result = Fixtures.resultMedia(dir.resolve("kinora-media"), "generate-ffffff.mkv", 5, "25");
        ProjectException e = assertThrows(ProjectException.class,
                () -> doc.insert(new ResultMedia(result, 5, 320, 180, false), -3, PROV));
        assertEquals("cannot insert generate-ffffff.mkv at frame -3 of " + Fixtures.KDENLIVE_104
                + ": the position must be 0 or more", e.getMessage());
        Path missing = dir.resolve("kinora-media/none.mkv");
        e = assertThrows(ProjectException.class, () -> doc.insert(new ResultMedia(missing, 5, 320, 180, false), 0, PROV));
        assertEquals("result media " + missing + " does not exist", e.getMessage());
        e = assertThrows(ProjectException.class, () -> doc.insert(new ResultMedia(result, 0, 320, 180, false), 0, PROV));
        assertTrue(e.getMessage().endsWith("has no frames"), e.getMessage());
        assertArrayEquals(xml, doc.serialize(), "the document is as it was");
    }

    /** Mean byte value of frame {@code f} of rgb24 frames. */
    private static double mean(byte[] raw, int f) {
        long sum = 0;
        int o = f * Fixtures.FRAME_BYTES;
        for (int k = 0; k < Fixtures.FRAME_BYTES; k++) {
            sum += raw[o + k] & 0xff;
        }
        return (double) sum / Fixtures.FRAME_BYTES;
    }
}
