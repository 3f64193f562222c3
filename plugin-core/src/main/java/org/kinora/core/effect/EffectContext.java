package org.kinora.core.effect;

import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.timeline.Profile;

/**
 * Everything one run of an effect works with.
 *
 * @param parameters validated parameter values
 * @param input      the clip's frames ({@code null} for {@link InputKind#NONE} effects)
 * @param output     where the effect writes its frames, in index order
 * @param frameCount how many frames the effect must write
 * @param profile    the project's profile (size and rate of the output)
 * @param job        the job: id, cancellation, progress
 * @param clips      opens other clips of the project (since 1.2; {@link ClipFrames#NONE} where the host has none)
 */
public record EffectContext(ParameterValues parameters, FrameSource input, FrameSink output, long frameCount, Profile profile,
        JobContext job, ClipFrames clips) {

    public EffectContext {
        clips = clips == null ? ClipFrames.NONE : clips;
    }

    /** A context without other clips (the 1.1 form). */
    public EffectContext(ParameterValues parameters, FrameSource input, FrameSink output, long frameCount, Profile profile,
            JobContext job) {
        this(parameters, input, output, frameCount, profile, job, ClipFrames.NONE);
    }
}
