package org.kinora.cli.internal.panel;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.apply.ProjectClipFrames;
import org.kinora.cli.internal.preview.PreviewJob;
import org.kinora.cli.internal.preview.Png;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.InputKind;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Profile;

/**
 * A short looping preview of an effect on a clip (the motion brush's "see it move"): the effect runs over the whole
 * clip as a render would, but at a small size (at most {@value #SIDE} px a side; effects scale their motion with the
 * frame, so it moves as the full render does), and every few frames are kept as pictures, {@value #KEEP} at most, for
 * the page to play in a loop. Nothing is written to the project or its media folder.
 */
final class LoopPreview {

    static final int SIDE = 480;
    static final int KEEP = 16;

    /**
     * The pictures and how fast to play them.
     *
     * @param pngs the frames kept, in order
     * @param fps  the rate they are shown at to play at the clip's speed
     */
    record Loop(List<Path> pngs, double fps) {
    }

    private final MediaService media;

    LoopPreview(MediaService media) {
        this.media = media;
    }

    Loop run(ApplyRunner.Plan plan, MediaRegistry registry) throws KinoraException, InterruptedException {
        Clip clip = plan.clip();
        Profile full = plan.document().timeline().profile();
        double s = Math.min(1.0, (double) SIDE / Math.max(full.width(), full.height()));
        int w = Math.max(2, (int) Math.round(full.width() * s / 2) * 2);
        int h = Math.max(2, (int) Math.round(full.height() * s / 2) * 2);
        Profile small = new Profile(w, h, full.frameRate(), full.colorspace());
        long frames = clip.length();
        long every = Math.max(1, (frames + KEEP - 1) / KEEP);
        List<Path> kept = new ArrayList<>();
        PreviewJob job = new PreviewJob();
        FrameSink sink = new FrameSink() {
            private long written;

            @Override
            public void write(VideoFrame f) throws MediaException {
                if (written % every == 0) {
                    Path png = registry.newFile("png");
                    try {
                        Png.write(copy(f), png);
                    } catch (KinoraException e) {
                        throw new MediaException("cannot write a loop preview picture: " + e.getMessage(), e);
                    }
                    kept.add(png);
                }
                written++;
            }

            @Override
            public Path finish() {
                return null;
            }

            @Override
            public long framesWritten() {
                return written;
            }

            @Override
            public void close() {
                // nothing native
            }
        };
        InputKind in = plan.effect().info().input();
        DecodeRequest decode = new DecodeRequest(clip.in(), clip.out(), full.frameRate(), w, h);
        try (FrameSource source = in == InputKind.NONE ? null : media.open(clip.resource(), decode)) {
            plan.effect().render(new EffectContext(plan.parameters(), source, sink, frames, small, job,
                    new ProjectClipFrames(plan.document(), media, plan.effect().info().id())));
        }
        if (kept.isEmpty()) {
            throw new KinoraException("effect '" + plan.effect().info().id() + "' made no frames for clip " + clip.ref());
        }
        return new Loop(kept, full.frameRate().fps() / every);
    }

    private static VideoFrame copy(VideoFrame f) {
        ByteBuffer b = ByteBuffer.allocate(f.byteCount());
        b.put(f.rgb().duplicate().rewind()).flip();
        return new VideoFrame(f.index(), f.width(), f.height(), b);
    }
}
