package org.kinora.cli.internal.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.kinora.cli.internal.EffectRegistry;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.ClipFrames;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.InputKind;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.ProjectHost;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.media.AudioSource;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Profile;

/**
 * Runs an effect on a project's clip end to end: validate everything first (so bad input writes nothing), stream the
 * clip's frames through the effect into new media in {@code kinora-media/}, then place the result and save the project.
 */
public final class ApplyRunner {

    /** The parameter an effect declares when the length of its result can differ from the clip's (overlays). */
    static final String DURATION = "duration";


    /** Pixel formats passed through to H.264 as they are; others fall back to the codec's usual one. */
    private static final Set<String> H264_PIX_FMTS = Set.of("yuv420p", "yuv422p", "yuv444p", "yuvj420p");

    private final EffectRegistry effects;
    private final List<ProjectHost> hosts;
    private final MediaService media;

    public ApplyRunner(EffectRegistry effects, List<ProjectHost> hosts, MediaService media) {
        this.effects = effects;
        this.hosts = hosts;
        this.media = media;
    }

    /** Everything checked and resolved before any file is written. */
    public record Plan(ProjectDocument document, Effect effect, ParameterValues parameters, Clip clip, MediaInfo source, Path target,
            Path mediaDir) {
    }

    /**
     * Opens the project and checks the request; writes nothing.
     *
     * @throws KinoraException naming the file, clip, effect or parameter that is wrong
     */
    public Plan plan(ApplyRequest req) throws KinoraException {
        ProjectDocument doc = open(req.project());
        Path project = doc.file();
        Effect effect = effects.require(req.effectId());
        ParameterValues params = ParameterValues.resolve(effect.info().parameters(), req.params());
        effect.check(params);
        Clip clip = doc.clip(req.clipRef());
        checkInput(effect, clip);
        MediaInfo source = media.probe(clip.resource());
        Path target = target(project, req.out());
        return new Plan(doc, effect, params, clip, source, target, target.getParent().resolve("kinora-media"));
    }

    /**
     * Where the updated project goes: {@code project} itself when {@code out} is {@code null}, else {@code out}, which must
     * not exist yet, must be in an existing folder and must keep the project's extension.
     *
     * @throws ProjectException naming the output and what is wrong with it
     */
    static Path target(Path project, Path out) throws ProjectException {
        Path target = out == null ? project : out.toAbsolutePath().normalize();
        if (!target.equals(project)) {
            if (Files.exists(target)) {
                throw new ProjectException("output project already exists: " + target + " (choose another --out, or omit --out to update "
                        + project.getFileName() + " in place with a backup)");
            }
            if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
                throw new ProjectException("output folder does not exist: " + target.getParent());
            }
            String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
            String ext = project.getFileName().toString().substring(project.getFileName().toString().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (!name.endsWith("." + ext)) {
                throw new ProjectException("output project " + target + " must keep the ." + ext + " extension of " + project.getFileName());
            }
        }
        return target;
    }

    /**
     * Opens a project through whichever host reads it.
     *
     * @throws ProjectException naming the file when it is missing, a folder, of no known format, or unreadable
     */
    public ProjectDocument open(Path file) throws ProjectException {
        Path project = file.toAbsolutePath().normalize();
        if (!Files.exists(project)) {
            throw new ProjectException("project not found: " + project);
        }
        if (!Files.isRegularFile(project)) {
            throw new ProjectException("not a project file: " + project + " is a directory");
        }
        ProjectHost host = hosts.stream().filter(h -> h.accepts(project)).findFirst()
                .orElseThrow(() -> new ProjectException("not a Shotcut (.mlt) or Kdenlive (.kdenlive) project: " + project));
        return host.open(project);
    }

    private static void checkInput(Effect effect, Clip clip) throws KinoraException {
        InputKind in = effect.info().input();
        if (in == InputKind.NONE) {
            return;
        }
        checkPictures(clip, effect.info().id());
        if (in == InputKind.STILL && clip.kind() != ClipKind.IMAGE) {
            throw new KinoraException("effect '" + effect.info().id() + "' animates a still image, but clip " + clip.ref() + " is a video");
        }
    }

    /**
     * Checks that a clip has a media file with pictures (not a colour, not audio only).
     *
     * @throws KinoraException naming the clip and the effect {@code effectId} that needs its pictures
     */
    static void checkPictures(Clip clip, String effectId) throws KinoraException {
        if (clip.resource() == null || clip.kind() == ClipKind.COLOR || clip.kind() == ClipKind.OTHER) {
            throw new KinoraException("clip " + clip.ref() + " (" + clip.producerId() + ") has no media file for effect '" + effectId + "'");
        }
        if (clip.kind() == ClipKind.AUDIO) {
            throw new KinoraException("clip " + clip.ref() + " (" + clip.resource().getFileName() + ") is audio only; effect '"
                    + effectId + "' needs pictures");
        }
    }

    /**
     * Renders and writes. On failure or cancellation the partial media is removed and the project is not touched.
     *
     * @return the result, or {@code null} when the job was cancelled
     */
    public ApplyResult run(Plan plan, ApplyJob job, VideoCodec codec, org.kinora.core.host.PlacementMode mode)
            throws KinoraException, InterruptedException {
        Rendered rendered = render(plan, job, codec, mode);
        if (rendered == null) {
            return null;
        }
        try {
            ApplyResult r = place(plan.document(), plan.clip(), plan, rendered, mode, plan.target(), job.id(), job.elapsedSeconds());
            job.succeeded(r);
            return r;
        } catch (KinoraException | RuntimeException e) {
            job.failed(e);
            throw e;
        }
    }

    /**
     * Media rendered for a plan and not yet placed in a project: the first half of {@link #run}, which the web panel
     * runs as a job and places later, when the user applies it.
     *
     * @param media    the result media file
     * @param frames   frames it has
     * @param width    its width
     * @param height   its height
     * @param hasAudio whether the clip's audio was carried into it
     */
    public record Rendered(Path media, long frames, int width, int height, boolean hasAudio) {
    }

    /**
     * Renders the plan's clip through its effect into new media in {@code kinora-media/}; the project is not touched.
     * On failure or cancellation the partial media is removed.
     *
     * @return the rendered media, or {@code null} when the job was cancelled
     */
    public Rendered render(Plan plan, ApplyJob job, VideoCodec codec, org.kinora.core.host.PlacementMode mode)
            throws KinoraException, InterruptedException {
        Clip clip = plan.clip();
        Profile profile = plan.document().timeline().profile();
        boolean createdDir = !Files.isDirectory(plan.mediaDir());
        Path out = plan.mediaDir().resolve(resultName(clip, plan.effect().info().id(), job.id(), codec));
        job.started();
        try {
            long length = resultLength(plan, mode, profile); // before anything is written
            Files.createDirectories(plan.mediaDir());
            long frames = render(plan, job, codec, profile, out, length);
            if (frames < 0) {
                cleanup(createdDir, plan.mediaDir());
                job.cancelledNow();
                return null;
            }
            return new Rendered(out, frames, profile.width(), profile.height(), plan.source().hasAudio());
        } catch (IOException e) {
            KinoraException k = new KinoraException("cannot write result media in " + plan.mediaDir() + ": " + e.getMessage(), e);
            job.failed(k);
            throw k;
        } catch (KinoraException | RuntimeException e) {
            if (!Files.exists(out)) {
                cleanup(createdDir, plan.mediaDir());
            }
            job.failed(e);
            throw e;
        }
    }

    /**
     * Puts rendered media into {@code document} for {@code clip} (with the plan's effect and parameters as provenance) and
     * saves it to {@code target}: the second half of {@link #run}. The document refuses to overwrite a project that
     * changed on disk since it was read.
     *
     * @throws ProjectException naming the project and what is wrong; the rendered media is kept
     */
    public ApplyResult place(ProjectDocument document, Clip clip, Plan plan, Rendered rendered, org.kinora.core.host.PlacementMode mode,
            Path target, String jobId, double seconds) throws KinoraException {
        ResultMedia result = new ResultMedia(rendered.media(), rendered.frames(), rendered.width(), rendered.height(), rendered.hasAudio());
        document.place(clip, result, new Provenance(plan.effect().info().id(), jobId, plan.parameters().toJson()), mode);
        Path written;
        try {
            written = document.save(target);
        } catch (ProjectException e) {
            throw new ProjectException(e.getMessage() + "; the rendered media is kept at " + rendered.media(), e);
        }
        return new ApplyResult(written, rendered.media(), clip, rendered.frames(), seconds);
    }

    /** Streams the clip through the effect; returns frames written, or -1 when cancelled. */
    /**
     * Frames the result must have: the clip's length, except for an overlay of an effect with a {@code duration}
     * parameter (seconds) set above 0. In replace mode the result takes the clip's place, so a duration is refused.
     */
    static long resultLength(Plan plan, org.kinora.core.host.PlacementMode mode, Profile profile) throws KinoraException {
        Clip clip = plan.clip();
        boolean declared = plan.effect().info().parameters().stream().anyMatch(p -> p.name().equals(DURATION));
        double seconds = declared ? plan.parameters().number(DURATION) : 0;
        if (!(seconds > 0)) {
            return clip.length();
        }
        if (mode != org.kinora.core.host.PlacementMode.OVERLAY) {
            throw new KinoraException("parameter 'duration' sets the length of an overlay (--mode overlay); in replace mode the"
                    + " result takes the place of clip " + clip.ref() + " and has its length (" + clip.length() + " frames)");
        }
        return Math.max(1, Math.round(seconds * profile.frameRate().fps()));
    }

    private long render(Plan plan, ApplyJob job, VideoCodec codec, Profile profile, Path out, long length)
            throws KinoraException, InterruptedException {
        Clip clip = plan.clip();
        MediaInfo src = plan.source();
        String pixFmt = codec == VideoCodec.H264 && src.pixelFormat() != null && H264_PIX_FMTS.contains(src.pixelFormat())
                ? src.pixelFormat() : null;
        EncodeSettings settings = new EncodeSettings(profile.width(), profile.height(), profile.frameRate(), codec, pixFmt, src.color(),
                src.hasAudio() ? new AudioSource(clip.resource(), clip.in(), clip.length(), profile.frameRate()) : null);
        DecodeRequest decode = new DecodeRequest(clip.in(), clip.out(), profile.frameRate(), profile.width(), profile.height());
        boolean takesInput = plan.effect().info().input() != InputKind.NONE;
        try (FrameSource source = takesInput ? media.open(clip.resource(), decode) : null;
                FrameSink sink = media.create(out, settings)) {
            job.progress(0, length);
            try {
                plan.effect().render(new EffectContext(plan.parameters(), source, sink, length, profile, job, clips(plan)));
            } catch (KinoraException | RuntimeException e) {
                if (job.isCancelled()) {
                    // a cancel stops the job's model requests under the effect, which may surface as its failure: still a cancel
                    return -1;
                }
                throw e;
            }
            if (job.isCancelled()) {
                return -1;
            }
            if (sink.framesWritten() != length) {
                throw new EffectException("effect '" + plan.effect().info().id() + "' wrote " + sink.framesWritten() + " frames for clip "
                        + clip.ref() + ", which needs " + length);
            }
            sink.finish();
            return length;
        }
    }

    /** The other clips of the plan's project, for effects that take one as a parameter. */
    private ClipFrames clips(Plan plan) {
        return new ProjectClipFrames(plan.document(), media, plan.effect().info().id());
    }

    private static String resultName(Clip clip, String effectId, String jobId, VideoCodec codec) {
        String stem = clip.resource() == null ? clip.producerId() : clip.resource().getFileName().toString();
        int dot = stem.lastIndexOf('.');
        if (dot > 0) {
            stem = stem.substring(0, dot);
        }
        stem = stem.replaceAll("[^A-Za-z0-9._-]", "_");
        return stem + "-" + effectId + "-" + jobId.substring(jobId.length() - 6) + "." + codec.extension();
    }

    static void cleanup(boolean createdDir, Path dir) {
        if (!createdDir) {
            return;
        }
        try (var s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // best effort: an empty folder left behind is harmless
        }
    }
}
