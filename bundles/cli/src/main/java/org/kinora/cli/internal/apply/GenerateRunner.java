package org.kinora.cli.internal.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.kinora.cli.internal.EffectRegistry;
import org.kinora.cli.internal.preview.ClipTime;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.InputKind;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.ProjectHost;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.param.InvalidParameterException;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Profile;

/**
 * Generates new media with an effect that takes no clip ({@link InputKind#NONE}, e.g. {@code generate} from a prompt)
 * and puts it into a project: everything is checked first (so bad input writes nothing), the effect renders at the
 * project's size and rate into {@code kinora-media/}, and the media goes on a new video track above all others.
 */
public final class GenerateRunner {

    /** The effect {@code kinora generate} runs unless told otherwise. */
    public static final String EFFECT = "generate";

    /** The parameters the command passes through, with the option each is typed after. */
    static final Map<String, String> OPTIONS = options();

    /** Longer media is refused before anything runs (a typo such as 600 for 6.00 would otherwise run for hours). */
    static final double MAX_SECONDS = 3600;

    private final EffectRegistry effects;
    private final java.util.List<ProjectHost> hosts;
    private final MediaService media;

    /** The sha256 of a model's weights by id, or null when unknown; recorded with the result's provenance. */
    private java.util.function.Function<String, String> modelHashes = id -> null;

    /** Names the hashes of the models a generation used in its provenance ({@code model_sha256}). */
    public GenerateRunner withModelHashes(java.util.function.Function<String, String> hashes) {
        this.modelHashes = hashes;
        return this;
    }

    /**
     * The parameters as JSON plus {@code model_sha256}: for every parameter naming a model ({@code *_model}, {@code
     * denoiser}, ...) whose weights' hash is known, so the project says exactly which weights made the clip.
     */
    String provenance(org.kinora.core.param.ParameterValues values) {
        String params = values.toJson();
        StringBuilder hashes = new StringBuilder();
        for (String name : java.util.List.of("text_model", "denoiser", "decoder", "upsampler")) {
            if (!values.asMap().containsKey(name)) {
                continue;
            }
            String id = String.valueOf(values.asMap().get(name));
            String hash = id.isBlank() ? null : modelHashes.apply(id);
            // model ids are [a-z0-9._-] (the store refuses others) and hashes hex: nothing to escape
            if (hash != null && id.matches("[A-Za-z0-9._-]+") && hash.matches("[0-9a-f,]+")) {
                hashes.append(hashes.length() == 0 ? "" : ",").append('"').append(id).append("\":\"").append(hash).append('"');
            }
        }
        if (hashes.length() == 0 || !params.endsWith("}")) {
            return params;
        }
        return params.substring(0, params.length() - 1) + (params.length() > 2 ? "," : "") + "\"model_sha256\":{" + hashes + "}}";
    }

    public GenerateRunner(EffectRegistry effects, java.util.List<ProjectHost> hosts, MediaService media) {
        this.effects = effects;
        this.hosts = hosts;
        this.media = media;
    }

    /**
     * Everything checked and resolved before any file is written.
     *
     * @param atFrame    the timeline frame the media starts at
     * @param frameCount frames to generate, at the project's rate
     * @param seconds    the length asked for
     */
    public record Plan(ProjectDocument document, Effect effect, ParameterValues parameters, long atFrame, long frameCount,
            double seconds, Path target, Path mediaDir) {
    }

    private static Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : new String[] {"prompt", "negative", "seed", "steps", "guidance", "sampler", "anchor", "duration", "text_model",
                "denoiser", "decoder", "upsampler", "native_fps"}) {
            m.put(name, "--" + name.replace('_', '-'));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Opens the project and checks the request; writes nothing.
     *
     * @throws KinoraException naming the file, option or parameter that is wrong
     */
    public Plan plan(GenerateRequest req) throws KinoraException {
        ProjectDocument doc = new ApplyRunner(effects, hosts, media).open(req.project());
        Effect effect = effects.require(req.effectId());
        String id = effect.info().id();
        if (effect.info().input() != InputKind.NONE) {
            throw new KinoraException("effect '" + id + "' works on a clip of the project, not from a prompt; use 'kinora apply --clip REF"
                    + " --effect " + id + "'");
        }
        FrameRate rate = doc.timeline().profile().frameRate();
        String prompt = req.options().get("prompt");
        if (prompt == null || prompt.isBlank()) {
            throw new KinoraException("--prompt: empty; say what to generate, e.g. --prompt \"a red ball rolls to the left\"");
        }
        Map<String, String> raw = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : req.options().entrySet()) {
            raw.put(declared(effect, o.getKey()), o.getValue());
        }
        raw.put("prompt", prompt.strip());
        if (raw.containsKey("anchor")) {
            raw.put("anchor", checkAnchor(doc, raw.get("anchor"), id));
        }
        Double asked = null;
        if (req.duration() != null) {
            asked = seconds(req.duration());
            if (effect.info().parameter("duration").isPresent()) {
                // as typed, so an integer parameter gets an integer
                String typed = req.duration().strip();
                raw.put("duration", typed.endsWith("s") ? typed.substring(0, typed.length() - 1) : typed);
            }
        }
        long atFrame = atFrame(req.at(), rate);

        ParameterValues values;
        try {
            values = ParameterValues.resolve(effect.info().parameters(), raw);
        } catch (InvalidParameterException e) {
            // the user typed an option, not a parameter: name the option
            String option = OPTIONS.get(e.parameter());
            throw option == null ? e : new KinoraException(option + ": " + e.getMessage(), e);
        }
        effect.check(values);
        double seconds;
        if (asked != null) {
            seconds = asked;
        } else if (effect.info().parameter("duration").isPresent() && values.number("duration") > 0) {
            seconds = values.number("duration");
        } else {
            throw new KinoraException("--duration: effect '" + id + "' has no default length; give --duration SECONDS");
        }
        long frames = Math.max(1, Math.round(seconds * rate.fps()));
        Path target = ApplyRunner.target(doc.file(), req.out());
        return new Plan(doc, effect, values, atFrame, frames, seconds, target, target.getParent().resolve("kinora-media"));
    }

    /** The parameter an option sets, checked against what the effect declares. */
    private static String declared(Effect effect, String name) throws KinoraException {
        String option = OPTIONS.get(name);
        if (option == null) {
            throw new IllegalArgumentException("not a generate option: " + name);
        }
        if (effect.info().parameter(name).isEmpty()) {
            String known = effect.info().parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
            throw new KinoraException(option + ": effect '" + effect.info().id() + "' has no parameter '" + name + "' (parameters: "
                    + (known.isEmpty() ? "none" : known) + ")");
        }
        return name;
    }

    /**
     * Checks {@code REF@TIME}: the clip exists and has pictures, and the time is within it.
     *
     * @return the text to pass to the effect
     * @throws KinoraException naming {@code --anchor} and what is wrong
     */
    static String checkAnchor(ProjectDocument doc, String text, String effectId) throws KinoraException {
        String t = text == null ? "" : text.strip();
        int at = t.lastIndexOf('@');
        String ref = at < 0 ? "" : t.substring(0, at).strip();
        String time = at < 0 ? "" : t.substring(at + 1).strip();
        if (ref.isEmpty() || time.isEmpty()) {
            throw new KinoraException("--anchor: '" + text + "' is not REF@TIME: a clip (TRACK:N such as V1:2, or a producer id) and a"
                    + " time in it, e.g. V1:2@1.5");
        }
        FrameRate rate = doc.timeline().profile().frameRate();
        long frame = ClipTime.frame("--anchor", time, rate);
        Clip clip;
        try {
            clip = doc.clip(ref);
            ApplyRunner.checkPictures(clip, effectId);
        } catch (KinoraException e) {
            throw new KinoraException("--anchor: " + e.getMessage(), e);
        }
        if (frame >= clip.length()) {
            throw new KinoraException(String.format(Locale.ROOT, "--anchor: %s is past the end of clip %s (%d frames, %.2f s)", time,
                    clip.ref(), clip.length(), clip.length() / rate.fps()));
        }
        return ref + "@" + time;
    }

    /** The frame {@code --at} names; the start of the timeline when not given. */
    static long atFrame(String text, FrameRate rate) throws KinoraException {
        if (text == null) {
            return 0;
        }
        if (text.strip().startsWith("-")) {
            throw new KinoraException("--at: '" + text + "' is before the start of the timeline; give 0 or more (seconds such as 2.5,"
                    + " a clock such as 1:02.5, or a frame number such as 48f)");
        }
        return ClipTime.frame("--at", text, rate, "on the timeline");
    }

    /** Seconds as typed after {@code --duration} ({@code 4}, {@code 2.5}, {@code 2.5s}). */
    static double seconds(String text) throws KinoraException {
        String t = text.strip();
        if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        double s;
        try {
            s = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new KinoraException("--duration: '" + text + "' is not a number of seconds (e.g. 4 or 2.5)");
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new KinoraException("--duration: " + text + " s; give a length above 0 seconds");
        }
        if (s > MAX_SECONDS) {
            throw new KinoraException("--duration: " + text + " s is over the limit of " + (long) MAX_SECONDS + " s");
        }
        return s;
    }

    /**
     * Renders, inserts and saves. On failure or cancellation the partial media is removed and the project is not touched.
     *
     * @return the result, or {@code null} when the job was cancelled
     */
    public ApplyResult run(Plan plan, ApplyJob job, VideoCodec codec) throws KinoraException, InterruptedException {
        Profile profile = plan.document().timeline().profile();
        String effectId = plan.effect().info().id();
        boolean createdDir = !Files.isDirectory(plan.mediaDir());
        Path out = plan.mediaDir().resolve(effectId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + job.id().substring(job.id().length() - 6)
                + "." + codec.extension());
        job.started();
        try {
            Files.createDirectories(plan.mediaDir());
            long frames = render(plan, job, codec, profile, out);
            if (frames < 0) {
                ApplyRunner.cleanup(createdDir, plan.mediaDir());
                job.cancelledNow();
                return null;
            }
            ResultMedia result = new ResultMedia(out, frames, profile.width(), profile.height(), false);
            try {
                plan.document().insert(result, plan.atFrame(), new Provenance(effectId, job.id(), provenance(plan.parameters())));
            } catch (ProjectException | RuntimeException e) {
                // nothing refers to the media: do not leave it behind
                Files.deleteIfExists(out);
                throw e;
            }
            Path written;
            try {
                written = plan.document().save(plan.target());
            } catch (ProjectException e) {
                throw new ProjectException(e.getMessage() + "; the generated media is kept at " + out, e);
            }
            ApplyResult r = new ApplyResult(written, out, null, frames, job.elapsedSeconds());
            job.succeeded(r);
            return r;
        } catch (IOException e) {
            KinoraException k = new KinoraException("cannot write generated media in " + plan.mediaDir() + ": " + e.getMessage(), e);
            job.failed(k);
            throw k;
        } catch (KinoraException | RuntimeException e) {
            if (!Files.exists(out)) {
                ApplyRunner.cleanup(createdDir, plan.mediaDir());
            }
            job.failed(e);
            throw e;
        } catch (InterruptedException e) {
            ApplyRunner.cleanup(createdDir, plan.mediaDir());
            job.failed(e);
            throw e;
        }
    }

    /** Lets the effect write the frames; returns frames written, or -1 when cancelled. */
    private long render(Plan plan, ApplyJob job, VideoCodec codec, Profile profile, Path out)
            throws KinoraException, InterruptedException {
        long frames = plan.frameCount();
        EncodeSettings settings = new EncodeSettings(profile.width(), profile.height(), profile.frameRate(), codec, null,
                color(profile), null);
        try (FrameSink sink = media.create(out, settings)) {
            try {
                plan.effect().render(new EffectContext(plan.parameters(), null, sink, frames, profile, job,
                        new ProjectClipFrames(plan.document(), media, plan.effect().info().id())));
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
            if (sink.framesWritten() != frames) {
                throw new EffectException(String.format(Locale.ROOT, "effect '%s' wrote %d frames; %.2f s at %s fps needs %d",
                        plan.effect().info().id(), sink.framesWritten(), plan.seconds(), profile.frameRate(), frames));
            }
            sink.finish();
            return frames;
        }
    }

    /** The project's color space as stream tags, so the editor decodes the media with the matrix it was encoded with. */
    static ColorInfo color(Profile profile) {
        return switch (profile.colorspace()) {
            case 709 -> new ColorInfo("bt709", "tv", "bt709", "bt709");
            case 601 -> new ColorInfo("smpte170m", "tv", null, null);
            default -> ColorInfo.UNKNOWN;
        };
    }
}
