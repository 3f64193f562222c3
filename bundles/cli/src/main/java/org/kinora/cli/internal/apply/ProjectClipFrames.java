package org.kinora.cli.internal.apply;

import org.kinora.core.KinoraException;
import org.kinora.core.effect.ClipFrames;
import org.kinora.core.effect.EffectException;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaService;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Profile;

/**
 * The other clips of the project an effect runs in: a reference is resolved as {@code --clip} resolves it
 * ({@code V2:1}, or a producer id), checked as the clip an effect runs on is checked (it must have pictures), and
 * decoded from its in to its out point at the project's frame rate and size.
 */
public final class ProjectClipFrames implements ClipFrames {

    private final ProjectDocument document;
    private final MediaService media;
    private final String effectId;

    /**
     * @param effectId the effect asking, named in the errors
     */
    public ProjectClipFrames(ProjectDocument document, MediaService media, String effectId) {
        this.document = document;
        this.media = media;
        this.effectId = effectId;
    }

    @Override
    public FrameSource open(String ref, int width, int height) throws EffectException {
        Clip clip;
        try {
            clip = document.clip(ref);
            ApplyRunner.checkPictures(clip, effectId);
        } catch (EffectException e) {
            throw e;
        } catch (KinoraException e) {
            throw new EffectException(e.getMessage(), e);
        }
        Profile profile = document.timeline().profile();
        try {
            return media.open(clip.resource(),
                    new DecodeRequest(clip.in(), clip.out(), profile.frameRate(), width > 0 ? width : profile.width(),
                            height > 0 ? height : profile.height()));
        } catch (MediaException e) {
            throw new EffectException("clip " + ref + " (" + clip.resource() + "): " + e.getMessage(), e);
        }
    }
}
