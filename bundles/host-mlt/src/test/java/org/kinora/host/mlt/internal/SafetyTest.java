package org.kinora.host.mlt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.timeline.Clip;

/** Atomic save, backups, refusing to overwrite a changed file, and one-line errors for bad input. */
class SafetyTest {

    @TempDir
    Path dir;

    private final MltProjectHost host = new MltProjectHost();

    private List<String> listing() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p) + ":" + (Files.isRegularFile(p) ? p.toFile().length() : -1)).sorted().toList();
        }
    }

    private ProjectException refused(ThrowingRunnable r) throws Exception {
        List<String> before = listing();
        ProjectException e = assertThrows(ProjectException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(before, listing(), "disk untouched");
        return e;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void keepsTheProjectsPermissions() throws Exception {
        Path p = Fixtures.project(Fixtures.SHOTCUT, dir, Files.createDirectories(dir.resolve("m")));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-r--"));
        host.open(p).save(p);
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), "saved in place");
        Path backup = AtomicProjectWriter.backups(p).get(0);
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)), "backup");
        Path other = dir.resolve("other.mlt");
        host.open(p).save(other);
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(other)), "saved elsewhere");
    }

    @Test
    void refusesWhenTouchedOnDisk() throws Exception {
        Path p = Fixtures.project(Fixtures.SHOTCUT, dir, Files.createDirectories(dir.resolve("m")));
        byte[] original = Files.readAllBytes(p);
        ProjectDocument doc = host.open(p);
        Files.setLastModifiedTime(p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 5000));
        ProjectException e = refused(() -> doc.save(p));
        assertTrue(e.getMessage().contains("changed on disk"), e.getMessage());
        assertArrayEquals(original, Files.readAllBytes(p));
        assertTrue(AtomicProjectWriter.backups(p).isEmpty());
    }

    @Test
    void refusesWhenContentChangedWithSameTime() throws Exception {
        Path p = Fixtures.project(Fixtures.KDENLIVE_104, dir, Files.createDirectories(dir.resolve("m")));
        ProjectDocument doc = host.open(p);
        FileTime t = Files.getLastModifiedTime(p);
        byte[] edited = Files.readAllBytes(p);
        edited[edited.length - 3] = 'X'; // same size, other content, time put back
        Files.write(p, edited);
        Files.setLastModifiedTime(p, t);
        refused(() -> doc.save(p));
        assertArrayEquals(edited, Files.readAllBytes(p));
    }

    @Test
    void savesOverSourceWithBackupsAndKeepsTheLastFew() throws Exception {
        Path p = Fixtures.project(Fixtures.KDENLIVE_11, dir, Files.createDirectories(dir.resolve("m")));
        byte[] original = Files.readAllBytes(p);
        ProjectDocument doc = host.open(p);
        for (int i = 0; i < AtomicProjectWriter.KEEP_BACKUPS + 2; i++) {
            doc.save(p); // the document's fingerprint follows its own saves
        }
        List<Path> backups = AtomicProjectWriter.backups(p);
        assertEquals(AtomicProjectWriter.KEEP_BACKUPS, backups.size());
        assertArrayEquals(original, Files.readAllBytes(backups.get(0)));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".kinora-tmp")), "no temp files left");
        }
    }

    @Test
    void badInputsGiveOneLineErrorsNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.mlt");
        assertTrue(refused(() -> host.open(missing)).getMessage().contains(missing.toString()));

        Path notXml = dir.resolve("notes.mlt");
        Files.writeString(notXml, "this is not xml\n");
        ProjectException e = refused(() -> host.open(notXml));
        assertTrue(e.getMessage().contains(notXml.toString()) && e.getMessage().contains("not well-formed"), e.getMessage());

        Path html = dir.resolve("page.mlt");
        Files.writeString(html, "<?xml version=\"1.0\"?>\n<html><body/></html>\n");
        e = refused(() -> host.open(html));
        assertTrue(e.getMessage().contains(html.toString()) && e.getMessage().contains("not an MLT"), e.getMessage());

        Path plainMlt = dir.resolve("plain.mlt");
        Files.writeString(plainMlt, "<mlt><profile width=\"2\" height=\"2\" frame_rate_num=\"25\" frame_rate_den=\"1\"/>"
                + "<tractor id=\"t\"/></mlt>");
        e = refused(() -> host.open(plainMlt));
        assertTrue(e.getMessage().contains("neither a Shotcut project"), e.getMessage());

        Path xxe = dir.resolve("xxe.mlt");
        Files.writeString(xxe, "<?xml version=\"1.0\"?>\n<!DOCTYPE mlt [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<mlt><profile width=\"2\" height=\"2\" frame_rate_num=\"25\" frame_rate_den=\"1\"/>"
                + "<producer id=\"p\"><property name=\"resource\">&xxe;</property></producer></mlt>\n");
        e = refused(() -> host.open(xxe));
        assertTrue(e.getMessage().contains(xxe.toString()) && e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains("root:"), "no file content leaked");

        Path huge = dir.resolve("huge.mlt");
        try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
            raf.setLength(MltXml.MAX_BYTES + 1);
        }
        e = refused(() -> host.open(huge));
        assertTrue(e.getMessage().contains("MB are refused"), e.getMessage());
        Files.delete(huge);

        Path folder = Files.createDirectories(dir.resolve("folder.mlt"));
        refused(() -> host.open(folder));
    }

    @Test
    void wrongFrameCountAndStaleClipAreRefusedWithoutChanges() throws Exception {
        Path p = Fixtures.project(Fixtures.SHOTCUT, dir, Files.createDirectories(dir.resolve("m")));
        ProjectDocument doc = host.open(p);
        Path media = dir.resolve("result.mkv");
        Files.writeString(media, "stand-in: the frame count check comes before any decoding");
        Clip clip = doc.clip("V1:2");
        byte[] before = ((MltProjectDocument) doc).serialize();
        Provenance prov = new Provenance("style-transfer", "job-1", "{}");
        ProjectException e = refused(() -> doc.place(clip, new ResultMedia(media, 99, 320, 180, false), prov,
                PlacementMode.REPLACE));
        assertTrue(e.getMessage().contains("V1:2") && e.getMessage().contains("100 frames")
                && e.getMessage().contains("99"), e.getMessage());
        assertArrayEquals(before, ((MltProjectDocument) doc).serialize(), "document unchanged");

        Clip stale = new Clip("V1", 2, "chain2", clip.resource(), clip.kind(), 0, 99, 100);
        e = refused(() -> doc.place(stale, new ResultMedia(media, 100, 320, 180, false), prov, PlacementMode.REPLACE));
        assertTrue(e.getMessage().contains("not in"), e.getMessage());

        e = refused(() -> doc.place(clip, new ResultMedia(dir.resolve("nope.mkv"), 100, 320, 180, false), prov,
                PlacementMode.OVERLAY));
        assertTrue(e.getMessage().contains("nope.mkv"), e.getMessage());
        assertArrayEquals(before, ((MltProjectDocument) doc).serialize());
    }
}
