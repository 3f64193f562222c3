package org.kinora.effect.pose.internal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.EffectId;
import org.kinora.core.effect.EffectInfo;
import org.kinora.core.effect.InputKind;
import org.kinora.core.effect.Still;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.Inpainting;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.pose.BvhView;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.PoseTracks;
import org.kinora.core.pose.TrackOptions;
import org.kinora.effect.pose.internal.render.MeshRenderer;
import org.kinora.effect.pose.internal.rig.Retargeter;
import org.kinora.effect.pose.internal.rig.Rig;
import org.kinora.effect.pose.internal.track.TrackCleanup;
import org.kinora.effect.pose.internal.track.TrackFiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code pose-animate} effect: the character of a still moves along a pose track. The track (a file, or a driving
 * clip read by MoveNet) is retargeted onto the character's own proportions ({@link Retargeter}); the character, cut out
 * by its mask, is rigged as a triangle mesh with linear-blend skinning weights ({@link Rig}) and drawn per frame over
 * the still's background, inpainted where the character stood ({@link MeshRenderer}).
 */
@Component(service = Effect.class)
@EffectId(PoseAnimateEffect.ID)
public final class PoseAnimateEffect implements Effect {

    /** The effect id. */
    public static final String ID = "pose-animate";

    static final String TRACK = "track";
    static final String REST = "rest";
    static final String MASK = "mask";
    static final String ROOT = "root";
    static final String WHEN_SHORT = "when_short";
    static final String BVH_VIEW = "bvh_view";
    static final String DURATION = "duration";
    /** A track given as a clip of the project. */
    static final String CLIP_PREFIX = "clip:";
    /** Longest clip rendered (frames): an hour at 60 fps. */
    static final long MAX_FRAMES = 3600L * 60;

    private static final EffectInfo INFO = new EffectInfo(ID, "Pose animate",
            "Animates the character of a still (a photo of a person, or a drawn figure with rest=PATH and mask=PATH) along a pose "
                    + "track: a pose file (Kinora track, OpenPose BODY_25/COCO-18 JSON, COCO-17 keypoints, BVH motion capture) or a "
                    + "driving clip on the timeline, read by MoveNet. The driver's motion is retargeted to the character's own bone "
                    + "lengths (directions from the driver, lengths from the character, foreshortening as a ratio), so a long-limbed "
                    + "driver does not stretch a short-limbed character. The character is cut out (selfie segmentation, or the mask "
                    + "given), rigged as a triangle mesh bound to its bones by linear-blend skinning (weights from geodesic distances "
                    + "inside the silhouette), deformed per frame and drawn over the background, which is inpainted (OpenCV Telea, a "
                    + "classical fill) where the character stood. Models: movenet-thunder, selfie-segmentation.",
            InputKind.STILL,
            List.of(ParameterSpec.text(TRACK, "",
                            "Pose track: a file (.json Kinora track, OpenPose JSON sequence or folder of per-frame files, COCO-17"
                                    + " keypoints JSON, .bvh motion capture), or clip:TRACK:N for a driving clip of the project (e.g."
                                    + " clip:V2:1); required"),
                    ParameterSpec.text(REST, "",
                            "Rest pose of the character: a pose file whose first frame gives the joints on the still (in the still's"
                                    + " pixels); needed for drawn figures. Empty = found by MoveNet"),
                    ParameterSpec.text(MASK, "",
                            "Character mask: a picture of the still's size, white (or opaque) = character. Empty = selfie"
                                    + " segmentation around the person MoveNet found"),
                    ParameterSpec.choice(ROOT, List.of("follow", "pin"), "follow",
                            "follow: the character travels as the driver does, scaled to its size; pin: it stays where it stands"),
                    ParameterSpec.choice(WHEN_SHORT, List.of("hold", "loop"), "hold",
                            "When the track is shorter than the clip: hold its last pose, or loop it. A longer track is trimmed"),
                    ParameterSpec.choice(BVH_VIEW, List.of("front", "back", "left", "right"), "front",
                            "The camera a BVH capture is seen through (orthographic, from that side of the performer)"),
                    ParameterSpec.number(DURATION, 0, 3600, 0,
                            "Length of the animation in seconds in overlay mode (--mode overlay); 0 = the clip's length")));

    private final InferenceService inference;
    private final Inpainting inpainting;

    @Activate
    public PoseAnimateEffect(@Reference(name = "inference") InferenceService inference,
            @Reference(name = "inpainting") Inpainting inpainting) {
        this.inference = inference;
        this.inpainting = inpainting;
    }

    @Override
    public EffectInfo info() {
        return INFO;
    }

    @Override
    public void check(ParameterValues p) throws EffectException {
        checkValues(p);
        String track = p.text(TRACK);
        if (!track.startsWith(CLIP_PREFIX)) {
            // read once here so a bad pose file is refused before anything is written
            readTrack(Path.of(track), BvhView.valueOf(p.text(BVH_VIEW).toUpperCase(Locale.ROOT)), 0);
        }
    }

    /** The checks that need no file read: render repeats them, and then reads the track once, at the project's rate. */
    private static void checkValues(ParameterValues p) throws EffectException {
        String track = p.text(TRACK);
        if (track == null || track.isBlank()) {
            throw new EffectException(ID + ": parameter 'track' is required: a pose file, or clip:TRACK:N for a driving clip");
        }
        if (track.startsWith(CLIP_PREFIX) && track.substring(CLIP_PREFIX.length()).isBlank()) {
            throw new EffectException(ID + ": parameter 'track': '" + track + "' names no clip (write clip:V2:1)");
        }
        for (String name : List.of(REST, MASK)) {
            String v = p.text(name);
            if (v != null && !v.isBlank() && !Files.isRegularFile(Path.of(v))) {
                throw new EffectException(ID + ": parameter '" + name + "': no such file: " + Path.of(v).toAbsolutePath());
            }
        }
    }

    private static PoseTrack readTrack(Path file, BvhView view, double fps) throws EffectException {
        try {
            return TrackFiles.read(file, new TrackOptions(view, fps, 0));
        } catch (PoseTrackException e) {
            throw new EffectException(ID + ": parameter 'track': " + e.getMessage(), e);
        }
    }

    @Override
    public void render(EffectContext context) throws EffectException, InterruptedException {
        ParameterValues p = context.parameters();
        checkValues(p);
        long frames = context.frameCount();
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new EffectException(ID + ": " + frames + " frames asked; 1 to " + MAX_FRAMES + " can be rendered");
        }
        Still input = Still.read(context, ID);
        VideoFrame still = input.frame();
        int[] stillSize = {input.width(), input.height()};
        double fps = context.profile().frameRate().fps();
        JobContext job = context.job();
        PoseModels models = new PoseModels(inference);

        String trackParam = p.text(TRACK);
        boolean driving = trackParam.startsWith(CLIP_PREFIX);
        // a driving clip is read first (its own progress), then the frames are rendered
        PoseTrack track;
        long clipFrames = 0;
        if (driving) {
            String ref = trackParam.substring(CLIP_PREFIX.length()).trim();
            // MoveNet looks at a 256 px square: decoding the clip smaller costs nothing in accuracy, and the track's scale
            // does not matter to retargeting (directions and length ratios; root motion relative to the track's own body)
            int[] size = PoseTracks.analysisSize(context.profile().width(), context.profile().height());
            try (FrameSource clip = context.clips().open(ref, size[0], size[1])) {
                clipFrames = Math.max(1, clip.frameCount());
                Phase phase = new Phase(job, 0, clipFrames + frames);
                try {
                    track = new PoseExtractor(models).extract(clip, "clip " + ref, fps, phase, clipFrames);
                } catch (PoseTrackException e) {
                    throw new EffectException(ID + ": parameter 'track': " + e.getMessage(), e);
                }
            }
            if (track == null) {
                return;
            }
        } else {
            track = readTrack(Path.of(trackParam), BvhView.valueOf(p.text(BVH_VIEW).toUpperCase(Locale.ROOT)), fps);
            if (track.fps() > 0 && Math.abs(track.fps() - fps) > 1e-6) {
                track = TrackCleanup.resample(track, fps);
            }
            track = TrackCleanup.fillGaps(track, Retargeter.MIN_SCORE, PoseExtractor.MAX_GAP);
        }
        Phase renderPhase = new Phase(job, clipFrames, clipFrames + frames);
        String rest = p.text(REST);
        String mask = p.text(MASK);
        CharacterCutout character = CharacterCutout.find(still, stillSize, rest.isBlank() ? null : Path.of(rest),
                mask.isBlank() ? null : Path.of(mask), models, inpainting, job);
        if (character == null) {
            return;
        }
        List<Pose> poses;
        Rig rig;
        try {
            Retargeter.Root root = Retargeter.Root.valueOf(p.text(ROOT).toUpperCase(Locale.ROOT));
            poses = new Retargeter(character.rest(), track, root).all();
            rig = Rig.build(character.alpha(), character.width(), character.height(), character.rest());
        } catch (IllegalArgumentException e) {
            throw new EffectException(ID + ": " + e.getMessage(), e);
        }
        boolean loop = p.text(WHEN_SHORT).equals("loop");
        new Renderer(character, rig, poses, loop).render(context, renderPhase, frames);
    }

    /** Renders frames: the next frame is drawn on a worker while the current one is encoded. */
    private record Renderer(CharacterCutout character, Rig rig, List<Pose> poses, boolean loop) {

        Pose poseAt(long frame) {
            int n = poses.size();
            return poses.get((int) (frame < n ? frame : loop ? frame % n : n - 1));
        }

        void render(EffectContext context, JobContext progress, long frames) throws EffectException, InterruptedException {
            MeshRenderer renderer = new MeshRenderer(character.width(), character.height(), character.still(), character.alpha(),
                    character.background());
            float[] rest = rig.restPositions();
            int[] triangles = rig.triangles();
            ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kinora-pose-render");
                t.setDaemon(true);
                return t;
            });
            try {
                Future<byte[]> next = worker.submit(() -> draw(renderer, rest, triangles, 0));
                for (long i = 0; i < frames; i++) {
                    if (context.job().isCancelled()) {
                        return;
                    }
                    byte[] pixels;
                    try {
                        pixels = next.get();
                    } catch (ExecutionException e) {
                        throw new EffectException(ID + ": drawing frame " + i + " failed: " + e.getCause(), e.getCause());
                    }
                    long k = i + 1;
                    if (k < frames) {
                        next = worker.submit(() -> draw(renderer, rest, triangles, k));
                    }
                    try {
                        context.output().write(new VideoFrame(i, character.width(), character.height(), ByteBuffer.wrap(pixels)));
                    } catch (MediaException e) {
                        throw new EffectException(ID + ": writing frame " + i + " failed: " + e.getMessage(), e);
                    }
                    progress.progress(i + 1, frames);
                }
            } finally {
                worker.shutdownNow();
            }
        }

        private byte[] draw(MeshRenderer renderer, float[] rest, int[] triangles, long frame) {
            byte[] out = new byte[character.width() * character.height() * 3];
            renderer.render(rest, rig.deform(poseAt(frame)), triangles, out);
            return out;
        }
    }

    /** Progress of one phase of the job (reading a driving clip, rendering): its frames counted after {@code offset} of {@code total}. */
    private record Phase(JobContext job, long offset, long total) implements JobContext {

        @Override
        public String jobId() {
            return job.jobId();
        }

        @Override
        public boolean isCancelled() {
            return job.isCancelled();
        }

        @Override
        public boolean interactive() {
            return job.interactive();
        }

        @Override
        public void progress(long done, long ofPhase) {
            job.progress(Math.min(total, offset + done), total);
        }
    }
}
