package org.kinora.cli.internal.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.kinora.cli.internal.EffectRegistry;
import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyRequest;
import org.kinora.cli.internal.apply.ApplyResult;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.apply.GenerateRequest;
import org.kinora.cli.internal.apply.GenerateRunner;
import org.kinora.cli.internal.command.GenerateCommand;
import org.kinora.cli.internal.preview.ClipTime;
import org.kinora.cli.internal.preview.PreviewJob;
import org.kinora.cli.internal.preview.PreviewRunner;
import org.kinora.core.KinoraException;
import org.kinora.core.brush.MotionBrushes;
import org.kinora.core.brush.MotionSample;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.ProjectHost;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.param.InvalidParameterException;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Timeline;

/**
 * The panel's JSON API. Every project operation goes through the code the command line runs: {@link ApplyRunner}
 * plans, renders and places (host-mlt writes the project atomically, with a backup, never over a file that changed on
 * disk since it was read), {@link PreviewRunner} makes a preview frame. Errors are {@code {"error": ..., "parameter":
 * ...}} with the message the command line would print.
 */
public final class PanelApi implements AutoCloseable {

    /** An answer other than 200, with the message (and the parameter at fault, if any). */
    static final class ApiError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String parameter;

        ApiError(int status, String message, String parameter) {
            super(message);
            this.status = status;
            this.parameter = parameter;
        }

        Map<String, Object> body() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", getMessage());
            if (parameter != null) {
                m.put("parameter", parameter);
            }
            return m;
        }
    }

    /** A JSON answer. */
    record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }
    }

    private final EffectRegistry effects;
    private final InferenceService inference;
    private final MediaService media;
    private final ApplyRunner runner;
    private final GenerateRunner generator;
    private final PreviewRunner previews;
    private final Stills stills;
    private final MediaRegistry registry;
    private final RecentProjects recent;
    private final EventHub events = new EventHub();
    private final PanelJobs jobs;
    private final PosePanel poses;
    private final MotionBrushes motionBrushes;
    private final Object projectLock = new Object();
    private volatile ProjectSession session;

    /**
     * @param services  the runtime's services (pose tracks and brushes may be missing: their pages then say so)
     * @param configDir where the recent projects list is kept
     */
    public PanelApi(Services services, Path configDir) throws IOException {
        EffectRegistry effects = services.effects();
        List<ProjectHost> hosts = services.hosts();
        MediaService media = services.media();
        InferenceService inference = services.inference();
        this.effects = effects;
        this.inference = inference;
        this.media = media;
        this.motionBrushes = services.motionBrushes();
        this.poses = new PosePanel(services.poseTracks(), media, events);
        this.runner = new ApplyRunner(effects, hosts, media);
        this.previews = new PreviewRunner(media);
        this.stills = new Stills(media);
        this.registry = new MediaRegistry();
        this.recent = new RecentProjects(configDir);
        this.generator = new GenerateRunner(effects, hosts, media).withModelHashes(GenerateCommand.modelHashes(services.models(), inference));
        this.jobs = new PanelJobs(runner, generator, inference, stills, registry, events, project -> {
            try {
                synchronized (projectLock) {
                    reload(project);
                }
            } catch (KinoraException e) {
                events.publish("error", Map.of("error", e.getMessage()));
            }
        });
    }

    /** The default config folder for the recent projects list. */
    public static Path defaultConfigDir() {
        return RecentProjects.defaultDir();
    }

    Optional<Path> media(String name) {
        return registry.lookup(name);
    }

    void events(HttpExchange ex) throws IOException, InterruptedException {
        events.stream(ex, EventHub.frame("hello", state()));
    }

    Reply handle(String method, String path, Map<String, String> q, byte[] body)
            throws ApiError, KinoraException, InterruptedException {
        List<String> seg = List.of(path.split("/"));
        String route = method + " " + seg.get(0);
        try {
            switch (route) {
                case "GET state":
                    return Reply.ok(state());
                case "POST project":
                    return Reply.ok(open(text(PanelJson.read(body), "path")));
                case "GET project":
                    return Reply.ok(requireSession().json());
                case "GET thumbnail":
                    return Reply.ok(Map.of("url", requireSession().thumbnail(required(q, "clip"), stills, registry)));
                case "GET still":
                    return Reply.ok(still(required(q, "clip")));
                case "POST brushes":
                    if (seg.size() == 2 && seg.get(1).equals("field")) {
                        return Reply.ok(field(PanelJson.read(body)));
                    }
                    return Reply.ok(brushes(PanelJson.read(body)));
                case "POST pose":
                    return Reply.ok(pose(seg, PanelJson.read(body)));
                case "GET effects":
                    return Reply.ok(EffectForms.json(effects));
                case "POST validate":
                    JsonNode v = PanelJson.read(body);
                    return Reply.ok(EffectForms.validate(effects.require(text(v, "effect")), params(v)));
                case "POST loop":
                    return Reply.ok(loop(PanelJson.read(body)));
                case "POST preview":
                    return Reply.ok(preview(PanelJson.read(body)));
                case "GET service":
                    return Reply.ok(service());
                case "POST queue":
                    if (seg.size() == 2 && seg.get(1).equals("pause")) {
                        jobs.pause();
                    } else if (seg.size() == 2 && seg.get(1).equals("resume")) {
                        jobs.resume();
                    } else {
                        throw new ApiError(404, "no such API: " + method + " /api/" + path, null);
                    }
                    return Reply.ok(Map.of("paused", jobs.paused()));
                case "GET jobs":
                    return Reply.ok(jobs.json());
                case "POST generate":
                    return new Reply(202, generate(PanelJson.read(body)).json());
                case "POST jobs":
                    if (seg.size() == 1) {
                        return new Reply(202, submit(PanelJson.read(body)).json());
                    }
                    return Reply.ok(jobAction(seg));
                default:
                    throw new ApiError(404, "no such API: " + method + " /api/" + path, null);
            }
        } catch (InvalidParameterException e) {
            throw new ApiError(400, e.getMessage(), e.parameter());
        }
    }

    private Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        ProjectSession s = session;
        m.put("project", s == null ? null : s.json());
        m.put("recent", recent.list().stream().map(Path::toString).toList());
        m.put("jobs", jobs.json());
        m.put("paused", jobs.paused());
        return m;
    }

    private Map<String, Object> open(String path) throws KinoraException {
        Path p = Path.of(path.strip()).toAbsolutePath().normalize();
        ProjectDocument doc = runner.open(p);
        synchronized (projectLock) {
            session = new ProjectSession(doc);
        }
        recent.add(doc.file());
        Map<String, Object> json = session.json();
        events.publish("project", json);
        return json;
    }

    private ProjectSession requireSession() throws ApiError {
        ProjectSession s = session;
        if (s == null) {
            throw new ApiError(409, "no project is open: open one first", null);
        }
        return s;
    }

    private ApplyRunner.Plan plan(JsonNode req, PlacementMode mode) throws KinoraException, ApiError {
        ProjectSession s = requireSession();
        return runner.plan(new ApplyRequest(s.file(), text(req, "clip"), text(req, "effect"), params(req), mode, null, VideoCodec.H264));
    }

    private Map<String, Object> preview(JsonNode req) throws KinoraException, ApiError, InterruptedException {
        ApplyRunner.Plan plan = plan(req, PlacementMode.REPLACE);
        Profile p = plan.document().timeline().profile();
        String at = req.path("at").asText("0");
        long frame = ClipTime.frame("at", at.isBlank() ? "0" : at, p.frameRate(), "clip " + plan.clip().ref());
        if (frame < 0 || frame >= plan.clip().length()) {
            throw new ApiError(400, "time " + at + " is outside clip " + plan.clip().ref() + ", which has " + plan.clip().length()
                    + " frames", "at");
        }
        Path after = registry.newFile("png");
        PreviewRunner.Preview r = previews.run(plan, frame, after, new PreviewJob());
        if (r == null) {
            throw new ApiError(409, "the preview was cancelled", null);
        }
        Path before = registry.newFile("png");
        Clip c = plan.clip();
        long source = c.kind() == ClipKind.IMAGE ? 0 : c.in() + frame;
        stills.write(c.resource(), source, p.frameRate(), p.width(), p.height(), Math.max(p.width(), p.height()), before);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", registry.register(before));
        m.put("after", registry.register(after));
        m.put("frame", frame);
        m.put("seconds", r.seconds());
        m.put("parameters", plan.parameters().asMap());
        return m;
    }

    /** A short loop of the effect on the clip at a small size, as pictures to play in turn. */
    private Map<String, Object> loop(JsonNode req) throws KinoraException, ApiError, InterruptedException {
        LoopPreview.Loop loop = new LoopPreview(media).run(plan(req, PlacementMode.REPLACE), registry);
        return Map.of("frames", loop.pngs().stream().map(registry::register).toList(), "fps", loop.fps());
    }

    private PanelJob submit(JsonNode req) throws KinoraException, ApiError {
        String mode = req.path("mode").asText("replace");
        PlacementMode m = switch (mode) {
            case "replace" -> PlacementMode.REPLACE;
            case "overlay" -> PlacementMode.OVERLAY;
            default -> throw new ApiError(400, "mode must be replace or overlay, got '" + mode + "'", "mode");
        };
        return jobs.submit(plan(req, m), m);
    }

    /** The largest still the brush painter takes (a side in pixels): a mask is sent as one PNG of that size. */
    static final int MAX_STILL = 4096;

    /** An image clip's still at its own size (brush coordinates are in its pixels), for the motion brush painter. */
    private Map<String, Object> still(String ref) throws KinoraException, ApiError, InterruptedException {
        ProjectSession s = requireSession();
        Clip c = s.document().clip(ref);
        MediaInfo info = stillInfo(c, "; the motion brush paints on stills");
        if (info.width() > MAX_STILL || info.height() > MAX_STILL) {
            throw new ApiError(400, "still " + c.resource().getFileName() + " is " + info.width() + "x" + info.height()
                    + "; the painter takes up to " + MAX_STILL + " px a side (write a brush file by hand for it)", "clip");
        }
        Path png = registry.newFile("png");
        stills.write(c.resource(), 0, s.document().timeline().profile().frameRate(), info.width(), info.height(),
                Math.max(info.width(), info.height()), png);
        return Map.of("url", registry.register(png), "width", info.width(), "height", info.height(), "clip", c.ref());
    }

    /** An image clip's media facts; any other clip is refused, naming it ({@code why} ends the message). */
    private MediaInfo stillInfo(Clip c, String why) throws KinoraException, ApiError {
        if (!PosePanel.isStill(c)) {
            throw new ApiError(400, "clip " + c.ref() + " is not a still (an image clip)" + why, "clip");
        }
        return media.probe(c.resource());
    }

    /**
     * The painter's brushes' motion as the effect will make it (arrows on a grid, and each brush in words, cues as the
     * effect reads them), from a brush file written to the panel's scratch folder: nothing is written beside the project.
     */
    private Map<String, Object> field(JsonNode req) throws KinoraException, ApiError {
        if (motionBrushes == null) {
            throw new ApiError(503, "the motion-brush bundle is not running: the brushes' motion cannot be shown", null);
        }
        ProjectSession s = requireSession();
        Clip c = s.document().clip(text(req, "clip"));
        MediaInfo info = stillInfo(c, "");
        double fps = s.document().timeline().profile().frameRate().fps();
        double seconds = Math.max(1 / fps, c.length() / fps);
        int spacing = Math.max(8, Math.max(info.width(), info.height()) / 14);
        Path dir = registry.newFile("brushes");
        try {
            Path file = BrushFileWriter.write(dir, "field", req.path("brushes"), info.width(), info.height());
            MotionSample sample = motionBrushes.sample(file, info.width(), info.height(), spacing, seconds);
            List<Map<String, Object>> arrows = new ArrayList<>();
            for (MotionSample.Arrow a : sample.arrows()) {
                arrows.add(Map.of("brush", a.brush(), "x", a.x(), "y", a.y(), "dx", a.dx(), "dy", a.dy(), "oscillates", a.oscillates()));
            }
            return Map.of("arrows", arrows, "brushes", sample.brushes(), "seconds", seconds);
        } catch (IOException e) {
            throw new KinoraException("cannot write the brushes for their motion in " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
        } catch (IOException ignored) {
            // scratch: the whole folder goes when the panel stops
        }
    }

    /** Writes the painter's brushes as a brush file beside the project; answers its path, for the form's {@code brushes}. */
    private Map<String, Object> brushes(JsonNode req) throws KinoraException, ApiError {
        ProjectSession s = requireSession();
        Clip c = s.document().clip(text(req, "clip"));
        MediaInfo info = stillInfo(c, "");
        try {
            Path file = BrushFileWriter.write(s.file().getParent(), text(req, "name"), req.path("brushes"), info.width(), info.height());
            return Map.of("path", file.toString(), "brushes", req.path("brushes").size());
        } catch (IOException e) {
            throw new KinoraException("cannot write the brush file in " + s.file().getParent().resolve(BrushFileWriter.FOLDER) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The pose page: {@code pose/track}, {@code pose/rest}, {@code pose/retarget}, {@code pose/save}, and {@code
     * pose/cancel} (stops reading a clip's poses).
     */
    private Map<String, Object> pose(List<String> seg, JsonNode req) throws KinoraException, ApiError, InterruptedException {
        ProjectSession s = requireSession();
        var rate = s.document().timeline().profile().frameRate();
        String action = seg.size() == 2 ? seg.get(1) : "";
        switch (action) {
            case "cancel":
                return Map.of("cancelled", poses.cancel());
            case "track":
                return poses.track(text(req, "path").strip(), s.document());
            case "retarget":
                return poses.retarget(text(req, "path").strip(), s.document(), req.path("rest"), req.path("pin").asBoolean(false));
            case "rest":
            case "save": {
                Clip c = s.document().clip(text(req, "clip"));
                if (!PosePanel.isStill(c)) {
                    throw new ApiError(400, "clip " + c.ref() + " is not a still (an image clip); pose-animate animates stills", "clip");
                }
                if (action.equals("rest")) {
                    String file = req.path("path").asText("").strip();
                    return poses.rest(c, file.isEmpty() ? null : Path.of(file), rate);
                }
                var info = media.probe(c.resource());
                Path saved = poses.save(s.file().getParent(), text(req, "name"), req.path("rest"), info.width(), info.height());
                return Map.of("path", saved.toString());
            }
            default:
                throw new ApiError(404, "no such API: POST /api/pose/" + action, null);
        }
    }

    /** Queues a generated clip placed at {@code at} on a new track: {@code kinora generate}'s checks and code. */
    private PanelJob generate(JsonNode req) throws KinoraException, ApiError {
        ProjectSession s = requireSession();
        Map<String, String> options = new LinkedHashMap<>();
        String duration = null;
        for (Map.Entry<String, String> e : params(req).entrySet()) {
            // a blank field is an option not given: the effect's default applies
            if (e.getValue().isBlank()) {
                continue;
            }
            if (e.getKey().equals("duration")) {
                duration = e.getValue();
            } else {
                options.put(e.getKey(), e.getValue());
            }
        }
        if (!options.containsKey("prompt")) {
            throw new ApiError(400, "parameter 'prompt': say what to generate, e.g. a red circle moving left on a sandy background", "prompt");
        }
        String at = req.path("at").asText("").strip();
        GenerateRunner.Plan plan = generator.plan(new GenerateRequest(s.file(), GenerateRunner.EFFECT, options, at.isEmpty() ? null : at,
                duration, null, VideoCodec.H264));
        return jobs.submit(plan);
    }

    private Map<String, Object> jobAction(List<String> seg) throws ApiError, KinoraException {
        if (seg.size() != 3) {
            throw new ApiError(404, "no such API: /api/" + String.join("/", seg), null);
        }
        PanelJob j = jobs.find(seg.get(1)).orElseThrow(() -> new ApiError(404, "no job " + seg.get(1), null));
        switch (seg.get(2)) {
            case "cancel" -> jobs.cancel(j);
            case "pause" -> jobs.pause(j);
            case "resume" -> jobs.resume(j);
            case "apply" -> apply(j);
            case "undo" -> undo(j);
            default -> throw new ApiError(404, "no such job action: " + seg.get(2), null);
        }
        return j.json();
    }

    /**
     * Places a rendered job's media in the project as {@code kinora apply} does. The project is read again now, so what
     * the editor saved since the job was queued is kept; the job's clip must still be the clip it rendered.
     */
    private void apply(PanelJob j) throws KinoraException, ApiError {
        synchronized (projectLock) {
            if (j.state != PanelJob.State.RENDERED || j.plan == null) {
                throw new ApiError(409, "job " + j.id() + " is " + j.state.name().toLowerCase(Locale.ROOT) + "; only a rendered job can be applied",
                        null);
            }
            Path project = j.plan.document().file();
            ProjectDocument doc = runner.open(project);
            Clip planned = j.plan.clip();
            Clip clip = doc.clip(planned.ref());
            if (!clip.producerId().equals(planned.producerId()) || !Objects.equals(clip.resource(), planned.resource())
                    || clip.in() != planned.in() || clip.out() != planned.out()) {
                throw new ProjectException("clip " + planned.ref() + " of " + project.getFileName() + " changed since the job was queued (it"
                        + " plays " + (clip.resource() == null ? clip.producerId() : clip.resource().getFileName()) + " " + clip.in() + ".."
                        + clip.out() + " now); not applying. The rendered media is kept at " + j.rendered.media());
            }
            Timeline before = doc.timeline();
            Set<Path> backups = ProjectUndo.backups(project);
            ApplyResult r = runner.place(doc, clip, j.plan, j.rendered, j.mode, project, j.id(), j.job.elapsedSeconds());
            j.undo = ProjectUndo.after(r.project(), backups);
            j.changes = ProjectChanges.between(before, doc.timeline(), project.getParent());
            j.state = PanelJob.State.APPLIED;
            reload(project);
        }
        jobs.publish(j);
    }

    private void undo(PanelJob j) throws KinoraException, ApiError {
        synchronized (projectLock) {
            if (j.state != PanelJob.State.APPLIED || j.undo == null) {
                throw new ApiError(409, "job " + j.id() + " is " + j.state.name().toLowerCase(Locale.ROOT) + "; only an applied job can be undone",
                        null);
            }
            j.undo.restore();
            j.state = PanelJob.State.UNDONE;
            reload(j.undo.project());
        }
        jobs.publish(j);
    }

    /** Shows the project as it is on disk now, when it is the one open. */
    private void reload(Path project) throws KinoraException {
        ProjectSession s = session;
        if (s != null && s.file().equals(project)) {
            session = new ProjectSession(runner.open(project));
            events.publish("project", session.json());
        }
    }

    private Map<String, Object> service() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("devices", inference.devices());
            List<Object> models = new ArrayList<>();
            for (ModelInfo mi : inference.models()) {
                models.add(Map.of("id", mi.id(), "task", mi.task(), "format", mi.format()));
            }
            m.put("models", models);
            m.put("status", inference.status());
        } catch (RuntimeException e) {
            m.put("error", "the inference service does not answer: " + e.getMessage());
        }
        m.put("paused", jobs.paused());
        return m;
    }

    static String text(JsonNode req, String field) throws ApiError {
        JsonNode n = req.path(field);
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new ApiError(400, "'" + field + "' is missing", field);
        }
        return n.asText();
    }

    static Map<String, String> params(JsonNode req) throws ApiError {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode p = req.path("params");
        if (p.isMissingNode() || p.isNull()) {
            return out;
        }
        if (!p.isObject()) {
            throw new ApiError(400, "'params' must be an object of parameter names to values", "params");
        }
        p.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }

    private static String required(Map<String, String> q, String name) throws ApiError {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            throw new ApiError(400, "query parameter '" + name + "' is missing", name);
        }
        return v;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        events.close();
        jobs.close();
        registry.close();
    }
}
