package org.kinora.host.mlt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;
import org.kinora.host.mlt.internal.TimelineModel.ClipSite;
import org.kinora.host.mlt.internal.TimelineModel.TrackSite;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Replace and overlay on each format, judged by the real melt: the rewritten project renders the same number of
 * frames, the clip's range shows the result media frame for frame, and every other frame is unchanged.
 */
class PlacementRenderTest {

    @TempDir
    static Path shared;
    static Path media;

    private static int cases;
    private Path dir;

    @BeforeAll
    static void makeMedia() throws Exception {
        Fixtures.assumeTools();
        media = shared.resolve("media");
        Fixtures.makeMedia(media);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            Fixtures.SHOTCUT + ", REPLACE, V1:2, 25",
            Fixtures.SHOTCUT + ", OVERLAY, V1:1, 25",
            Fixtures.KDENLIVE_104 + ", REPLACE, V1:2, 25",
            Fixtures.KDENLIVE_104 + ", OVERLAY, V1:1, 25",
            Fixtures.KDENLIVE_11 + ", REPLACE, V1:2, 30000/1001",
            Fixtures.KDENLIVE_11 + ", OVERLAY, V1:1, 30000/1001",
            Fixtures.SHOTCUT_SAVED + ", REPLACE, V1:2, 25",
            Fixtures.SHOTCUT_SAVED + ", OVERLAY, V1:1, 25",
            Fixtures.KDENLIVE_104_SAVED + ", REPLACE, V1:2, 25",
            Fixtures.KDENLIVE_104_SAVED + ", OVERLAY, V1:1, 25",
    })
    void placeThenRender(String fixture, PlacementMode mode, String ref, String rate) throws Exception {
        // projects live beside the shared media (one temp dir), so no link has to point out of a temp dir
        dir = Files.createDirectories(shared.resolve("case" + cases++));
        Path project = Fixtures.project(fixture, dir, media);
        MltProjectHost host = new MltProjectHost();
        MltProjectDocument doc = (MltProjectDocument) host.open(project);
        long length = doc.timeline().length();
        byte[] before = Fixtures.render(project, length);
        assertEquals(length, Fixtures.frameCount(before), "fixture renders its timeline length");

        Clip clip = doc.clip(ref);
        String groupsBefore = groups(project);
        int tracksBefore = doc.timeline().tracks().size();
        Path result = Fixtures.resultMedia(dir.resolve("kinora-media"), "result-" + mode + ".mkv", (int) clip.length(), rate);
        byte[] expected = Fixtures.decode(result);
        assertEquals(clip.length(), Fixtures.frameCount(expected));

        doc.place(clip, new ResultMedia(result, clip.length(), 320, 180, false),
                new Provenance("style-transfer", "job-42", "{\"style\":\"anime\",\"strength\":0.8}"), mode);
        doc.save(project);
        assertEquals(1, AtomicProjectWriter.backups(project).size());

        byte[] after = Fixtures.render(project, length);
        assertEquals(Fixtures.frameCount(before), Fixtures.frameCount(after), "same frame count");
        int inside = 0;
        int outside = 0;
        for (int f = 0; f < length; f++) {
            boolean in = f >= clip.position() && f < clip.position() + clip.length();
            if (in) {
                int m = (int) (f - clip.position());
                double d = Fixtures.diff(after, f, expected, m);
                assertTrue(d < 1.0, fixture + " frame " + f + " should be result frame " + m + ", diff " + d);
                if (m > 0) {
                    assertTrue(Fixtures.diff(after, f, expected, m - 1) > 2.0, "frame-exact at " + f);
                }
                assertTrue(Fixtures.diff(before, f, after, f) > 10.0, "frame " + f + " really changed");
                inside++;
            } else {
                assertEquals(0.0, Fixtures.diff(before, f, after, f), fixture + " frame " + f + " outside the clip changed");
                outside++;
            }
        }
        System.out.printf("%s %s %s: %d frames before/after, %d frames equal the result media, %d unchanged%n",
                fixture, mode, ref, length, inside, outside);

        // the saved project, reopened
        MltProjectDocument reopened = (MltProjectDocument) host.open(project);
        Document xml = parse(project);
        if (mode == PlacementMode.REPLACE) {
            Clip now = reopened.clip(ref);
            assertEquals(clip.position(), now.position());
            assertEquals(0, now.in());
            assertEquals(clip.length() - 1, now.out());
            assertEquals(result, now.resource());
            assertEquals(tracksBefore, reopened.timeline().tracks().size());
            Element produced = byId(xml, now.producerId());
            assertEquals("style-transfer", prop(produced, "kinora:effect"));
            assertEquals("job-42", prop(produced, "kinora:job"));
            assertEquals("{\"style\":\"anime\",\"strength\":0.8}", prop(produced, "kinora:params"));
            assertEquals(clip.producerId(), prop(produced, "kinora:original.producer"));
            assertEquals(Long.toString(clip.in()), prop(produced, "kinora:original.in"));
            assertEquals(Long.toString(clip.out()), prop(produced, "kinora:original.out"));
            assertTrue(prop(produced, "kinora:original.resource").endsWith(clip.resource().getFileName().toString()));
            assertTrue(isBefore(xml, now.producerId(), "main_bin") || isDefinedBeforeUse(xml, now.producerId()));
        } else {
            assertEquals(tracksBefore + 1, reopened.timeline().tracks().size());
            Track top = reopened.timeline().tracks().stream().filter(t -> t.kind() == TrackKind.VIDEO)
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(1, top.clips().size());
            Clip placed = top.clips().get(0);
            assertEquals(clip.position(), placed.position());
            assertEquals(clip.length(), placed.length());
            assertEquals(clip, reopened.clip(ref), "the clip below is untouched");
            assertEquals("style-transfer", prop(byId(xml, placed.producerId()), "kinora:effect"));
        }
        // every reference resolves to an element defined earlier (melt's rule)
        assertDefinedBeforeUse(xml);
        // the result is in the bin, and so is the source
        Set<String> binResources = new HashSet<>();
        for (Element e : Dom.children(ProjectFormat.mainBin(xml), "entry")) {
            binResources.add(prop(byId(xml, e.getAttribute("producer")), "resource"));
        }
        assertTrue(binResources.contains("kinora-media/" + result.getFileName()), binResources.toString());
        if (clip.resource() != null) {
            assertTrue(binResources.contains("media/" + clip.resource().getFileName()), "source kept in bin: " + binResources);
        }

        if (!fixture.startsWith("shotcut")) {
            kdenliveChecks(reopened, xml, clip, groupsBefore, project);
        }
    }

    private void kdenliveChecks(MltProjectDocument doc, Document xml, Clip clip, String groupsBefore, Path project)
            throws Exception {
        Element bin = ProjectFormat.mainBin(xml);
        Set<String> binIds = new HashSet<>();
        for (Element e : Dom.children(bin, "entry")) {
            String id = prop(byId(xml, e.getAttribute("producer")), "kdenlive:id");
            assertNotNull(id, "bin clip without kdenlive:id");
            binIds.add(id.trim());
        }
        // every timeline clip's kdenlive:id is a bin clip, on the entry and on its producer
        for (ClipSite s : doc.model().clips()) {
            String onEntry = prop(s.entry(), "kdenlive:id");
            assertNotNull(onEntry, s.clip().ref() + " entry has kdenlive:id");
            assertTrue(binIds.contains(onEntry.trim()), s.clip().ref() + " id " + onEntry + " in bin " + binIds);
            assertEquals(onEntry.trim(), prop(s.producer(), "kdenlive:id").trim());
        }
        // the source's bin clip keeps its id
        String sourceId = prop(byId(parse(AtomicProjectWriter.backups(project).get(0)), clip.producerId()), "kdenlive:id");
        assertTrue(binIds.contains(sourceId.trim()), "source id " + sourceId + " still in bin");
        // the AI results folder exists and holds the new clip
        String folder = null;
        for (Element p : Dom.children(bin, "property")) {
            if (p.getAttribute("name").startsWith("kdenlive:folder.-1.") && p.getTextContent().equals("AI results")) {
                folder = p.getAttribute("name").substring("kdenlive:folder.-1.".length());
            }
        }
        assertNotNull(folder, "AI results folder");
        // groups unchanged, and every leaf still names a track and a clip start on it
        assertEquals(groupsBefore, groups(project));
        Map<Integer, Set<Long>> starts = new HashMap<>();
        for (TrackSite t : doc.model().tracks()) {
            starts.put(t.kdenliveIndex(), new HashSet<>());
        }
        for (ClipSite s : doc.model().clips()) {
            starts.get(s.track().kdenliveIndex()).add(s.clip().position());
        }
        Matcher m = Pattern.compile("\"data\": \"(\\d+):(\\d+)\"").matcher(groupsBefore);
        int leaves = 0;
        while (m.find()) {
            int track = Integer.parseInt(m.group(1));
            long pos = Long.parseLong(m.group(2));
            assertTrue(starts.containsKey(track), "group track " + track + " exists");
            assertTrue(starts.get(track).contains(pos), "a clip starts at " + pos + " on track " + track);
            leaves++;
        }
        assertEquals(4, leaves);
    }

    static String groups(Path project) throws Exception {
        Document xml = parse(project);
        for (Element e : Dom.all(xml)) {
            if (e.getTagName().equals("property") && (e.getAttribute("name").equals("kdenlive:docproperties.groups")
                    || e.getAttribute("name").equals("kdenlive:sequenceproperties.groups"))) {
                return e.getTextContent();
            }
        }
        return "";
    }

    static void assertDefinedBeforeUse(Document xml) {
        Set<String> defined = new HashSet<>();
        for (Element top : Dom.children(xml.getDocumentElement())) {
            for (Element e : Dom.all(top)) {
                String ref = e.getTagName().equals("entry") || e.getTagName().equals("track") ? e.getAttribute("producer") : "";
                if (!ref.isEmpty()) {
                    assertTrue(defined.contains(ref), "<" + e.getTagName() + " producer=\"" + ref + "\"> before its definition");
                }
            }
            if (!top.getAttribute("id").isEmpty()) {
                assertTrue(defined.add(top.getAttribute("id")), "duplicate id " + top.getAttribute("id"));
            }
        }
    }

    private static boolean isBefore(Document xml, String id, String other) {
        List<String> ids = new ArrayList<>();
        for (Element e : Dom.children(xml.getDocumentElement())) {
            ids.add(e.getAttribute("id"));
        }
        return ids.indexOf(id) >= 0 && ids.indexOf(id) < ids.indexOf(other);
    }

    private static boolean isDefinedBeforeUse(Document xml, String id) {
        return byId(xml, id) != null;
    }

    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    static Element byId(Document xml, String id) {
        for (Element e : Dom.children(xml.getDocumentElement())) {
            if (e.getAttribute("id").equals(id)) {
                return e;
            }
        }
        return null;
    }

    static String prop(Element e, String name) {
        return e == null ? null : Dom.prop(e, name);
    }
}
