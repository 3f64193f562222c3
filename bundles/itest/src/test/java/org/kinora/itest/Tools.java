package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

/** Reading results back with ffmpeg/ffprobe, independent of Kinora's own decoder. */
final class Tools {

    private Tools() {
    }

    /** Runs a command; returns its standard output and fails the test, with its error output, when it fails. */
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + err);
        return new String(out);
    }

    /** Frame {@code n} of a media file as packed RGB, decoded by ffmpeg. */
    static byte[] rgbFrame(Path media, int n) throws Exception {
        Path raw = Files.createTempFile("kinora-frame-", ".rgb");
        try {
            run("ffmpeg", "-v", "error", "-y", "-i", media.toString(), "-vf", "select=eq(n\\," + n + ")", "-frames:v", "1",
                    "-f", "rawvideo", "-pix_fmt", "rgb24", raw.toString());
            return Files.readAllBytes(raw);
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** Mean absolute difference per byte of two equally long pictures. */
    static double meanDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length, "picture sizes");
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    /** Every frame of {@code media} as packed RGB ints ({@code 0xRRGGBB}), decoded by the ffmpeg CLI at {@code w x h}. */
    static int[][] decodeAll(Path media, int w, int h) throws Exception {
        Path raw = Files.createTempFile("kinora-frames-", ".rgb");
        try {
            run("ffmpeg", "-v", "error", "-y", "-i", media.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24", raw.toString());
            byte[] data = Files.readAllBytes(raw);
            int fb = w * h * 3;
            assertEquals(0, data.length % fb, "whole " + w + "x" + h + " frames in " + media);
            int[][] frames = new int[data.length / fb][w * h];
            for (int f = 0; f < frames.length; f++) {
                for (int i = 0; i < w * h; i++) {
                    int o = f * fb + i * 3;
                    frames[f][i] = (data[o] & 0xff) << 16 | (data[o + 1] & 0xff) << 8 | data[o + 2] & 0xff;
                }
            }
            return frames;
        } finally {
            Files.deleteIfExists(raw);
        }
    }
}
