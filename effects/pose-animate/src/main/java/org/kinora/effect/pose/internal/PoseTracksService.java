package org.kinora.effect.pose.internal;

import java.nio.file.Path;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSource;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.PoseTracks;
import org.kinora.core.pose.TrackOptions;
import org.kinora.effect.pose.internal.rig.Retargeter;
import org.kinora.effect.pose.internal.track.TrackCleanup;
import org.kinora.effect.pose.internal.track.TrackFiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The pose track service: the track file formats of {@link TrackFiles} and MoveNet extraction ({@link PoseExtractor}). */
@Component(service = PoseTracks.class)
public final class PoseTracksService implements PoseTracks {

    private final PoseExtractor extractor;

    @Activate
    public PoseTracksService(@Reference(name = "inference") InferenceService inference) {
        this.extractor = new PoseExtractor(new PoseModels(inference));
    }

    @Override
    public PoseTrack read(Path file, TrackOptions options) throws PoseTrackException {
        return TrackFiles.read(file, options);
    }

    @Override
    public void write(PoseTrack track, Path file) throws PoseTrackException {
        TrackFiles.write(track, file);
    }

    @Override
    public PoseTrack extract(FrameSource frames, String source, double fps, JobContext job) throws PoseTrackException, InterruptedException {
        return extractor.extract(frames, source, fps, job, frames.frameCount());
    }

    @Override
    public PoseTrack retarget(PoseTrack driver, Pose characterRest, boolean pinRoot) throws PoseTrackException {
        // as the effect does: joints missed for a few frames are filled first
        PoseTrack filled = TrackCleanup.fillGaps(driver, Retargeter.MIN_SCORE, PoseExtractor.MAX_GAP);
        java.util.List<Pose> poses;
        try {
            poses = new Retargeter(characterRest, filled, pinRoot ? Retargeter.Root.PIN : Retargeter.Root.FOLLOW).all();
        } catch (IllegalArgumentException e) {
            throw new PoseTrackException(e.getMessage(), e); // names the joints the rest pose lacks
        }
        // positions are in the character's picture, whose size the rest pose does not carry
        return new PoseTrack(driver.source() + " retargeted", "kinora", driver.fps(), 0, 0, poses);
    }
}
