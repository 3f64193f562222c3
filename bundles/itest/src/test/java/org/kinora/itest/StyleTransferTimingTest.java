package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restyled clip keeps the source clip's timing and audio exactly: as many frames, at the same rate and timestamps, and
 * the same audio samples (lossless ffv1 + FLAC result, read back by ffprobe/ffmpeg, not by Kinora).
 */
class StyleTransferTimingTest {

    @TempDir
    Path dir;

    private static byte[] pcm(Path media, double from, double seconds) throws Exception {
        Path raw = Files.createTempFile("kinora-pcm-", ".raw");
        try {
            Tools.run("ffmpeg", "-v", "error", "-y", "-ss", Double.toString(from), "-t", Double.toString(seconds), "-i", media.toString(),
                    "-vn", "-f", "s16le", "-acodec", "pcm_s16le", raw.toString());
            return Files.readAllBytes(raw);
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private static List<String> frameTimes(Path media) throws Exception {
        String out = Tools.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
                media.toString());
        List<String> times = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                times.add(line.trim());
            }
        }
        return times;
    }

    @Test
    void theResultHasTheClipsFramesTimestampsAndAudio() throws Exception {
        SharedRuntime.Result demo = SharedRuntime.cli("demo", "--dir", dir.toString(), "--width", "320", "--height", "180",
                "--seconds", "2", "--no-render");
        assertEquals(0, demo.exit(), demo.all());
        Path project = dir.resolve("demo.mlt");
        SharedRuntime.Result apply = SharedRuntime.cli("apply", project.toString(), "--clip", "V1:2", "--effect", "style-transfer",
                "--set", "style=paint", "--codec", "ffv1", "--out", dir.resolve("styled.mlt").toString());
        assertEquals(0, apply.exit(), apply.all());
        Path result;
        try (Stream<Path> s = Files.list(dir.resolve("kinora-media"))) {
            result = s.filter(f -> f.toString().endsWith(".mkv")).findFirst().orElseThrow();
        }
        Path source = dir.resolve("media").resolve("sunset.mp4");

        // V1:2 is the whole 2 s sunset clip: 50 frames at 25 fps
        List<String> times = frameTimes(result);
        assertEquals(50, times.size(), "frame count");
        for (int i = 0; i < times.size(); i++) {
            assertEquals(i / 25.0, Double.parseDouble(times.get(i)), 1e-3, "timestamp of frame " + i);
        }
        String rate = Tools.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0",
                result.toString()).trim();
        assertEquals("25/1", rate);

        byte[] want = pcm(source, 0, 2);
        byte[] got = pcm(result, 0, 2);
        assertTrue(want.length > 100_000, "the source has 2 s of audio: " + want.length + " bytes");
        assertEquals(want.length, got.length, "audio sample count");
        // FLAC is lossless; the one rounding is AAC's float samples to 16 bits, which ffmpeg's conversion here and the
        // carrier's may do one step apart
        java.nio.ShortBuffer a = java.nio.ByteBuffer.wrap(want).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        java.nio.ShortBuffer b = java.nio.ByteBuffer.wrap(got).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        int max = 0;
        long energy = 0;
        for (int i = 0; i < a.limit(); i++) {
            max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
            energy += Math.abs(a.get(i));
        }
        assertTrue(max <= 1, "audio samples differ by up to " + max + " (16-bit steps)");
        assertTrue(energy / (double) a.limit() > 100, "the audio is not silence: mean level " + energy / (double) a.limit());
    }
}
