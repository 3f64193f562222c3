package org.kinora.cli.internal.preview;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.apply.ProjectClipFrames;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.InputKind;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Profile;

/**
 * Renders one frame of an effect on a clip, as the final render would show it, and writes it as a PNG. Nothing of the
 * project is written. A video clip is decoded at that one frame only (the decoder seeks); an effect on a still renders
 * from its start and stops at the frame asked for.
 */
public final class PreviewRunner {

    private final MediaService media;

    public PreviewRunner(MediaService media) {
        this.media = media;
    }

    /**
     * What was rendered and how long it took.
     *
     * @param png           the written picture
     * @param frame         the frame within the clip (0 = its first)
     * @param seconds       the whole preview: decoding, the effect and writing the PNG
     * @param effectSeconds of which the effect (its inference included)
     */
    public record Preview(Path png, long frame, double seconds, double effectSeconds) {
    }

    /**
     * @param plan  the checked request (project, clip, effect, parameters)
     * @param frame the frame within the clip, {@code 0 <= frame < clip length}
     * @param png   where to write the picture
     * @return what was written, or {@code null} when the job was cancelled
     */
    public Preview run(ApplyRunner.Plan plan, long frame, Path png, PreviewJob job) throws KinoraException, InterruptedException {
        Clip clip = plan.clip();
        if (frame < 0 || frame >= clip.length()) {
            throw new KinoraException("--at: frame " + frame + " is outside clip " + clip.ref() + ", which has " + clip.length()
                    + " frames");
        }
        Profile profile = plan.document().timeline().profile();
        long start = System.nanoTime();
        InputKind in = plan.effect().info().input();
        // a video effect needs only its frame; an animation of a still has to run up to it
        boolean single = in == InputKind.VIDEO;
        long count = single ? 1 : clip.length();
        long keep = single ? 0 : frame;
        DecodeRequest decode = single
                ? new DecodeRequest(clip.in() + frame, clip.in() + frame, profile.frameRate(), profile.width(), profile.height())
                : new DecodeRequest(clip.in(), clip.out(), profile.frameRate(), profile.width(), profile.height());
        CapturingSink sink = new CapturingSink(keep, job);
        long effectStart;
        long effectEnd;
        try (FrameSource source = in == InputKind.NONE ? null : media.open(clip.resource(), decode)) {
            effectStart = System.nanoTime();
            plan.effect().render(new EffectContext(plan.parameters(), source, sink, count, profile, job,
                    new ProjectClipFrames(plan.document(), media, plan.effect().info().id())));
            effectEnd = System.nanoTime();
        }
        VideoFrame f = sink.captured();
        if (f == null) {
            if (job.isCancelled() && !sink.isDone()) {
                return null;
            }
            throw new EffectException("effect '" + plan.effect().info().id() + "' wrote no frame " + keep + " for clip " + clip.ref());
        }
        Png.write(f, png);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Preview(png, frame, seconds, (effectEnd - effectStart) / 1e9);
    }

    /** Copies a frame's pixels out of the sink's reach: effects may reuse their buffers. */
    static VideoFrame copy(VideoFrame f) {
        ByteBuffer b = ByteBuffer.allocate(f.byteCount());
        b.put(f.rgb().duplicate().rewind()).flip();
        return new VideoFrame(f.index(), f.width(), f.height(), b);
    }
}
