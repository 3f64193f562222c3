package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinora demo} end to end through the real bundles: sample media and a Shotcut project made by Kinora's own
 * code, style transfer on V1:2 through the OSGi services, and the result judged by the real {@code melt}.
 */
class DemoEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void demoRestylesTheMiddleClipAndMeltRendersIt() throws Exception {
        SharedRuntime.Result r = SharedRuntime.cli("demo", "--dir", dir.toString(), "--width", "320", "--height", "180", "--seconds", "1",
                "--no-render");
        assertEquals(0, r.exit(), r.all());
        Path original = dir.resolve("demo.mlt");
        Path styled = dir.resolve("demo-styled.mlt");
        assertTrue(Files.isRegularFile(original) && Files.isRegularFile(styled), r.all());
        List<Path> results;
        try (Stream<Path> s = Files.list(dir.resolve("kinora-media"))) {
            results = s.toList();
        }
        assertEquals(1, results.size(), "one result media file: " + results);
        Path media = results.get(0);
        assertTrue(media.getFileName().toString().endsWith(".mp4"), media.toString());

        String xml = Files.readString(styled);
        assertTrue(xml.contains("<property name=\"kinora:effect\">style-transfer</property>"), "provenance recorded");
        assertTrue(xml.contains("kinora:original.resource"), "original resource recorded");
        assertTrue(xml.contains("kinora-media/" + media.getFileName()), "result referenced relative to the project");

        // three clips of 25 frames at 25 fps; V1:2 covers timeline frames 25..49
        MeltRender before = MeltRender.render(original, 74, 320, 180);
        MeltRender after = MeltRender.render(styled, 74, 320, 180);
        MeltRender result = MeltRender.render(media, 24, 320, 180);
        assertEquals(75, before.frames());
        assertEquals(before.frames(), after.frames(), "same frame count before and after");
        for (int f = 0; f < 75; f++) {
            double d = before.meanDiff(f, after, f);
            if (f < 25 || f >= 50) {
                assertTrue(d < 0.5, "frame " + f + " outside the clip changed: mean diff " + d);
            } else {
                assertTrue(d > 8, "frame " + f + " inside the clip is not restyled: mean diff " + d);
                double toResult = after.meanDiff(f, result, f - 25);
                assertTrue(toResult < 1.0, "frame " + f + " is not the result media's frame " + (f - 25) + ": mean diff " + toResult);
            }
        }

        SharedRuntime.Result info = SharedRuntime.cli("info", styled.toString());
        assertEquals(0, info.exit(), info.all());
        assertTrue(info.out().contains(media.getFileName().toString()), "V1:2 now plays the result: " + info.out());
    }
}
