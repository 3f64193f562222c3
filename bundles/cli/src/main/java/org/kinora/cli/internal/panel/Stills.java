package org.kinora.cli.internal.panel;

import java.nio.file.Path;

import org.kinora.cli.internal.preview.Png;
import org.kinora.core.KinoraException;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.time.FrameRate;

/** Single frames of media as PNGs, through the media service (FFmpeg), at a bounded size. */
final class Stills {

    /** The longest side of a timeline thumbnail. */
    static final int THUMB = 160;

    private final MediaService media;

    Stills(MediaService media) {
        this.media = media;
    }

    /**
     * Writes frame {@code frame} of {@code file} (at {@code rate}) scaled to fit {@code maxSide} (never enlarged beyond
     * {@code width x height}, the size it is shown at in the project) as a PNG.
     */
    void write(Path file, long frame, FrameRate rate, int width, int height, int maxSide, Path png)
            throws KinoraException, InterruptedException {
        double s = Math.min(1.0, (double) maxSide / Math.max(width, height));
        int w = Math.max(2, (int) Math.round(width * s / 2) * 2);
        int h = Math.max(2, (int) Math.round(height * s / 2) * 2);
        try (FrameSource src = media.open(file, new DecodeRequest(frame, frame, rate, w, h))) {
            VideoFrame f = src.next();
            if (f == null) {
                throw new KinoraException("no frame " + frame + " in " + file);
            }
            Png.write(f, png);
        }
    }
}
