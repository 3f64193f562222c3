package org.kinora.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.kinora.core.media.AudioSource;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.time.FrameRate;

/** Renders a {@link SampleScene} with a generated melody into an H.264/AAC MP4 through the media service. */
public final class SampleMedia {

    private SampleMedia() {
    }

    /**
     * Writes {@code frames} frames of {@code scene} to {@code file}.
     *
     * @return the file written
     * @throws MediaException when encoding fails
     * @throws IOException    when the temporary audio cannot be written
     */
    public static Path write(MediaService media, SampleScene scene, Path file, int width, int height, FrameRate rate, long frames)
            throws MediaException, IOException, InterruptedException {
        Path wav = Files.createTempFile("kinora-sample-", ".wav");
        try {
            SampleAudio.writeWav(wav, rate.secondsOf(frames) + 0.5, 220 + 55 * scene.ordinal());
            EncodeSettings settings = new EncodeSettings(width, height, rate, VideoCodec.H264, "yuv420p",
                    new ColorInfo("bt709", "tv", "bt709", "bt709"), new AudioSource(wav, 0, frames, rate));
            try (FrameSink sink = media.create(file, settings)) {
                for (long i = 0; i < frames; i++) {
                    sink.write(scene.frame(i, frames, width, height));
                }
                return sink.finish();
            }
        } finally {
            Files.deleteIfExists(wav);
        }
    }
}
