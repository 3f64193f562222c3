package org.kinora.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.time.FrameRate;
import org.w3c.dom.Document;

class SamplesTest {

    @TempDir
    Path dir;

    @Test
    void scenesMoveAndDiffer() {
        System.setProperty("java.awt.headless", "true");
        VideoFrame a = SampleScene.MEADOW.frame(0, 50, 160, 90);
        VideoFrame b = SampleScene.MEADOW.frame(25, 50, 160, 90);
        VideoFrame c = SampleScene.NIGHT.frame(0, 50, 160, 90);
        assertEquals(160 * 90 * 3, a.byteCount());
        assertTrue(meanDiff(a, b) > 3, "the scene moves over time");
        assertTrue(meanDiff(a, c) > 30, "scenes look different");
        assertEquals(0, meanDiff(a, SampleScene.MEADOW.frame(0, 50, 160, 90)), "drawing is deterministic");
    }

    @Test
    void wavHasTheAskedLength() throws Exception {
        Path wav = SampleAudio.writeWav(dir.resolve("a.wav"), 1.5, 220);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(Files.readAllBytes(wav)))) {
            assertEquals(72_000, in.getFrameLength());
            assertEquals(2, in.getFormat().getChannels());
        }
    }

    @Test
    void shotcutProjectHasTheClipsOnV1AndInTheBin() throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Path project = ShotcutSampleProject.write(dir.resolve("p.mlt"), 320, 180, FrameRate.FPS_25,
                List.of(new ShotcutSampleProject.Item(media.resolve("a & b.mp4"), 25), new ShotcutSampleProject.Item(media.resolve("c.mp4"), 50)));
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(project.toFile());
        assertEquals("C", d.getDocumentElement().getAttribute("LC_NUMERIC"));
        String xml = Files.readString(project);
        assertTrue(xml.contains("<property name=\"resource\">media/a &amp; b.mp4</property>"), "relative, escaped resource");
        assertTrue(xml.contains("<property name=\"shotcut\">1</property>"));
        assertTrue(xml.contains("<property name=\"shotcut:name\">V1</property>"));
        assertTrue(xml.contains("<entry producer=\"chain3\" in=\"0\" out=\"49\"/>"), "second timeline clip");
        assertTrue(xml.contains("<tractor id=\"tractor0\" title=\"Shotcut version 22.12.21\" in=\"0\" out=\"74\">"));
    }

    private static double meanDiff(VideoFrame a, VideoFrame b) {
        long s = 0;
        for (int i = 0; i < a.byteCount(); i++) {
            s += Math.abs((a.rgb().get(i) & 0xff) - (b.rgb().get(i) & 0xff));
        }
        return (double) s / a.byteCount();
    }

    @Test
    void theCommittedMotionBrushStillIsTheOneTheCodeDraws() throws Exception {
        System.setProperty("java.awt.headless", "true");
        java.awt.image.BufferedImage drawn = SampleStill.draw();
        assertEquals(SampleStill.WIDTH, drawn.getWidth());
        java.awt.image.BufferedImage committed = javax.imageio.ImageIO.read(Path.of("motion-brush/lake.png").toFile());
        assertEquals(drawn.getWidth(), committed.getWidth());
        assertEquals(drawn.getHeight(), committed.getHeight());
        long diff = 0;
        for (int y = 0; y < drawn.getHeight(); y++) {
            for (int x = 0; x < drawn.getWidth(); x++) {
                int a = drawn.getRGB(x, y);
                int b = committed.getRGB(x, y);
                diff += Math.abs((a >> 16 & 0xff) - (b >> 16 & 0xff)) + Math.abs((a >> 8 & 0xff) - (b >> 8 & 0xff)) + Math.abs((a & 0xff) - (b & 0xff));
            }
        }
        // anti-aliasing may differ in the last bit between JDKs; the picture may not
        assertTrue(diff / (3.0 * drawn.getWidth() * drawn.getHeight()) < 1.0, "mean difference " + diff);
        java.awt.image.BufferedImage mask = javax.imageio.ImageIO.read(Path.of("motion-brush/water-mask.png").toFile());
        assertEquals(0, mask.getRaster().getSample(10, 100, 0));
        assertEquals(255, mask.getRaster().getSample(10, 300, 0));
    }
}
