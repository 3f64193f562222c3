package org.kinora.samples;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Writes a short stereo WAV melody, so sample clips carry audio that effects must pass through. */
public final class SampleAudio {

    private static final int RATE = 48_000;

    private SampleAudio() {
    }

    /**
     * Writes {@code seconds} of a gentle arpeggio starting at {@code baseHz} (16-bit stereo, 48 kHz).
     *
     * @throws IOException when the file cannot be written
     */
    public static Path writeWav(Path file, double seconds, double baseHz) throws IOException {
        int frames = (int) Math.round(seconds * RATE);
        ByteBuffer pcm = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        double[] steps = {1.0, 1.25, 1.5, 2.0};
        for (int i = 0; i < frames; i++) {
            double t = (double) i / RATE;
            int note = (int) (t * 4) % steps.length;
            double env = 0.5 - 0.5 * Math.cos(2 * Math.PI * Math.min(1.0, (t * 4) % 1.0));
            double s = 0.25 * env * Math.sin(2 * Math.PI * baseHz * steps[note] * t);
            short v = (short) Math.round(s * Short.MAX_VALUE);
            pcm.putShort(v).putShort(v);
        }
        AudioFormat fmt = new AudioFormat(RATE, 16, 2, true, false);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), fmt, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }
}
