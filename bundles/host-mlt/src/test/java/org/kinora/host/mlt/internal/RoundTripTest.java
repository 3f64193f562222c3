package org.kinora.host.mlt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.host.ProjectDocument;

/** Opening and saving without edits keeps every byte: declaration, attribute order, whitespace, escapes. */
class RoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.SHOTCUT, Fixtures.KDENLIVE_104, Fixtures.KDENLIVE_11, Fixtures.SHOTCUT_SAVED,
            Fixtures.KDENLIVE_104_SAVED})
    void saveWithoutEditsIsByteIdentical(String fixture) throws Exception {
        Path media = Files.createDirectories(dir.resolve("m"));
        Path p = Fixtures.project(fixture, dir, media);
        byte[] original = Files.readAllBytes(p);
        ProjectDocument doc = new MltProjectHost().open(p);
        Path copy = doc.save(dir.resolve("copy-" + fixture));
        assertArrayEquals(original, Files.readAllBytes(copy), "saved copy differs from " + fixture);
        Path same = doc.save(p);
        assertEquals(p, same);
        assertArrayEquals(original, Files.readAllBytes(p));
        assertEquals(1, AtomicProjectWriter.backups(p).size(), "a backup beside the project");
    }

    @Test
    void unusualMarkupSurvives() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- made by hand -->\r\n"
                + "<mlt LC_NUMERIC=\"C\" version=\"7.12.0\" zeta=\"1\" alpha=\"a &amp; &lt;b&gt; &quot;q&quot;&#10;x\">\r\n"
                + "  <profile width=\"320\" height=\"180\" frame_rate_num=\"25\" frame_rate_den=\"1\" colorspace=\"709\"/>\r\n"
                + "  <!-- keep me -->\r\n"
                + "  <producer id=\"p0\"><property name=\"resource\">a&amp;b &lt;c&gt; \u00e9\u6f22</property>"
                + "<property name=\"cdata\"><![CDATA[<raw> & stuff]]></property><?pi data?></producer>\r\n"
                + "  <playlist id=\"pl\"><property name=\"shotcut:video\">1</property><entry producer=\"p0\" in=\"0\" out=\"9\"/></playlist>\r\n"
                + "  <tractor id=\"t\"><property name=\"shotcut\">1</property><track producer=\"pl\"/></tractor>\r\n"
                + "</mlt>\r\n";
        Path p = dir.resolve("hand.mlt");
        Files.write(p, xml.getBytes(StandardCharsets.UTF_8));
        ProjectDocument doc = new MltProjectHost().open(p);
        assertEquals(1, doc.timeline().tracks().size());
        Path out = doc.save(dir.resolve("hand2.mlt"));
        String saved = Files.readString(out);
        // saved elsewhere in the same folder: no root added, so byte-identical
        assertEquals(xml, saved);
        assertTrue(saved.contains("zeta=\"1\" alpha="), "attribute order kept");
    }

    @Test
    void copyInAnotherFolderKeepsRelativeMediaResolvable() throws Exception {
        Path media = Files.createDirectories(dir.resolve("m"));
        Path p = Fixtures.project(Fixtures.SHOTCUT, dir.resolve("proj"), media);
        ProjectDocument doc = new MltProjectHost().open(p);
        Path other = Files.createDirectories(dir.resolve("elsewhere")).resolve("copy.mlt");
        doc.save(other);
        ProjectDocument copy = new MltProjectHost().open(other);
        assertEquals(doc.clip("V1:2").resource(), copy.clip("V1:2").resource());
    }
}
