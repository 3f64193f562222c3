package org.kinora.cli.internal.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.cli.internal.EffectRegistry;
import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.cli.internal.apply.ProgressPrinter;
import org.kinora.cli.internal.apply.TerminalRun;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.EffectInfo;
import org.kinora.core.effect.InputKind;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.job.Progress;
import org.kinora.cli.internal.apply.BlankFrames;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;
import org.kinora.host.mlt.internal.MltProjectHost;

/**
 * {@code kinora generate} end to end on a real Shotcut project through the real MLT host: the options reach the effect
 * by parameter name, the media is written at the project's size and rate, and the project gets a new top track at the
 * asked frame with provenance. Bad options are refused before anything is written; cancelling or failing leaves the
 * project byte-identical. The generator is a stand-in with the real generator's parameters (the real one has its own
 * tests) and the media service an in-memory one that keeps its files only when finished, as the real one does.
 */
class GenerateCommandTest {

    /** A Shotcut 22.12 project, 320x180 at 25 fps: V1 with two clips, V2 with one, A1 with music. */
    private static final String PROJECT = """
            <?xml version="1.0" standalone="no"?>
            <mlt LC_NUMERIC="C" version="7.12.0" title="Shotcut version 22.12.21" producer="main_bin">
              <profile description="automatic" width="320" height="180" progressive="1" sample_aspect_num="1" sample_aspect_den="1" display_aspect_num="16" display_aspect_den="9" frame_rate_num="25" frame_rate_den="1" colorspace="709"/>
              <playlist id="main_bin">
                <property name="xml_retain">1</property>
              </playlist>
              <producer id="black" in="0" out="249">
                <property name="length">250</property>
                <property name="eof">pause</property>
                <property name="resource">0</property>
                <property name="mlt_service">color</property>
              </producer>
              <playlist id="background">
                <entry producer="black" in="0" out="249"/>
              </playlist>
              <chain id="chain0" out="99">
                <property name="length">100</property>
                <property name="resource">media/intro.mp4</property>
                <property name="mlt_service">avformat-novalidate</property>
              </chain>
              <chain id="chain1" out="149">
                <property name="length">150</property>
                <property name="resource">media/city.mp4</property>
                <property name="mlt_service">avformat-novalidate</property>
              </chain>
              <playlist id="playlist0">
                <property name="shotcut:video">1</property>
                <property name="shotcut:name">V1</property>
                <entry producer="chain0" in="0" out="99"/>
                <entry producer="chain1" in="25" out="124"/>
              </playlist>
              <chain id="chain2" out="99">
                <property name="length">100</property>
                <property name="resource">media/logo.png</property>
                <property name="mlt_service">avformat-novalidate</property>
              </chain>
              <playlist id="playlist1">
                <property name="shotcut:video">1</property>
                <property name="shotcut:name">V2</property>
                <blank length="50"/>
                <entry producer="chain2" in="0" out="49"/>
              </playlist>
              <chain id="chain3" out="249">
                <property name="length">250</property>
                <property name="resource">media/music.wav</property>
                <property name="mlt_service">avformat-novalidate</property>
                <property name="video_index">-1</property>
              </chain>
              <playlist id="playlist2">
                <property name="shotcut:audio">1</property>
                <property name="shotcut:name">A1</property>
                <entry producer="chain3" in="0" out="249"/>
              </playlist>
              <tractor id="tractor0" title="Shotcut version 22.12.21" in="0" out="249">
                <property name="shotcut">1</property>
                <track producer="background"/>
                <track producer="playlist0"/>
                <track producer="playlist1"/>
                <track producer="playlist2" hide="video"/>
                <transition id="transition0">
                  <property name="a_track">0</property>
                  <property name="b_track">1</property>
                  <property name="mlt_service">frei0r.cairoblend</property>
                </transition>
                <transition id="transition1">
                  <property name="a_track">1</property>
                  <property name="b_track">2</property>
                  <property name="mlt_service">frei0r.cairoblend</property>
                </transition>
              </tractor>
            </mlt>
            """;

    @TempDir
    Path dir;

    private Path project;
    private byte[] original;
    private final List<EncodeSettings> encoded = new ArrayList<>();
    private final List<DecodeRequest> decoded = new ArrayList<>();
    private final List<Long> framesWritten = new ArrayList<>();
    private final List<String> renderedWith = new ArrayList<>();
    private Effect generator = new Generator(-1, 0, InputKind.NONE);
    private String out;
    private String err;

    @BeforeEach
    void project() throws IOException {
        project = dir.resolve("edit.mlt");
        Files.writeString(project, PROJECT);
        original = Files.readAllBytes(project);
    }

    /** The stand-in generator: the real one's parameters, steps reported as progress, solid frames whose color is the seed. */
    private final class Generator implements Effect {
        private final int cancelAfterStep;
        private final int dropFrames;
        private final InputKind input;

        Generator(int cancelAfterStep, int dropFrames, InputKind input) {
            this.cancelAfterStep = cancelAfterStep;
            this.dropFrames = dropFrames;
            this.input = input;
        }

        @Override
        public EffectInfo info() {
            return new EffectInfo("generate", "Generate", "text to video", input, List.of(
                    ParameterSpec.text("prompt", "", "what the clip shows"),
                    ParameterSpec.text("negative", "", "what it should not show"),
                    ParameterSpec.integer("seed", 0, Integer.MAX_VALUE, 0, "seed"),
                    ParameterSpec.integer("steps", 1, 100, 4, "denoising steps"),
                    ParameterSpec.number("guidance", 0, 20, 5, "guidance scale"),
                    ParameterSpec.choice("sampler", List.of("euler", "heun"), "euler", "sampler"),
                    ParameterSpec.text("anchor", "", "REF@TIME"),
                    ParameterSpec.number("duration", 0.1, 30, 2, "seconds")));
        }

        @Override
        public void check(ParameterValues p) throws EffectException {
            if (p.text("prompt").isBlank()) {
                throw new EffectException("parameter 'prompt' is empty");
            }
        }

        @Override
        public void render(EffectContext ctx) throws EffectException, InterruptedException {
            ParameterValues p = ctx.parameters();
            renderedWith.add(p.toJson() + " frames=" + ctx.frameCount() + " input=" + ctx.input());
            try {
                if (!p.text("anchor").isEmpty()) {
                    String ref = p.text("anchor").substring(0, p.text("anchor").lastIndexOf('@'));
                    try (FrameSource anchor = ctx.clips().open(ref)) {
                        anchor.next();
                    }
                }
                long steps = p.integer("steps");
                for (long s = 1; s <= steps; s++) {
                    ctx.job().progress(s, steps);
                    if (s == cancelAfterStep && ctx.job() instanceof ApplyJob j) {
                        j.cancel();
                    }
                    if (ctx.job().isCancelled()) {
                        return;
                    }
                }
                int w = ctx.profile().width();
                int h = ctx.profile().height();
                for (long i = 0; i < ctx.frameCount() - dropFrames; i++) {
                    ByteBuffer rgb = ByteBuffer.allocate(w * h * 3);
                    byte v = (byte) p.integer("seed");
                    while (rgb.hasRemaining()) {
                        rgb.put(v);
                    }
                    ctx.output().write(new VideoFrame(i, w, h, rgb.flip()));
                }
            } catch (EffectException e) {
                throw e;
            } catch (KinoraException e) {
                throw new EffectException(e.getMessage(), e);
            }
        }
    }

    private int run(String... args) {
        EffectRegistry effects = new EffectRegistry();
        effects.add(generator, Map.of("kinora.effect.id", "generate"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = RootCommand.run(new Services(effects, List.of(new MltProjectHost()), new Media(), null, null, null),
                args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private String[] generate(String... more) {
        List<String> a = new ArrayList<>(List.of("generate", project.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void generatesAtTheProjectsSizeAndRateAndPutsTheClipOnANewTopTrack() throws Exception {
        ProjectDocument before = new MltProjectHost().open(project);
        assertEquals(0, run(generate("--prompt", "a red ball rolls to the left", "--at", "2", "--duration", "1.5", "--seed", "7",
                "--steps", "3", "--guidance", "6.5", "--negative", "blur", "--sampler", "heun")), err);

        // the effect got the options by parameter name, nothing to read, and the frame count for 1.5 s at 25 fps
        assertEquals(List.of("{\"prompt\":\"a red ball rolls to the left\",\"negative\":\"blur\",\"seed\":7,\"steps\":3,"
                + "\"guidance\":6.5,\"sampler\":\"heun\",\"anchor\":\"\",\"duration\":1.5} frames=38 input=null"), renderedWith);
        // the media: the project's size and rate, no audio, tagged with the project's color space
        assertEquals(1, encoded.size());
        EncodeSettings s = encoded.get(0);
        assertEquals(List.of(320, 180, FrameRate.FPS_25), List.of(s.width(), s.height(), s.rate()));
        assertNull(s.audio());
        assertEquals("bt709", s.color().space());
        assertEquals(List.of(38L), framesWritten);
        Matcher m = Pattern.compile("media:   (.*)").matcher(out);
        assertTrue(m.find(), out);
        Path media = Path.of(m.group(1).trim());
        assertTrue(media.getFileName().toString().matches("generate-[0-9a-f]{6}\\.mp4"), media.toString());
        assertEquals(dir.resolve("kinora-media"), media.getParent());
        assertTrue(Files.isRegularFile(media));

        // the project: a new top video track V3 with the clip from 2 s (frame 50), the rest as it was
        ProjectDocument after = new MltProjectHost().open(project);
        List<Track> video = after.timeline().tracks().stream().filter(t -> t.kind() == TrackKind.VIDEO).toList();
        assertEquals(3, video.size());
        Track top = video.get(2);
        assertEquals("V3", top.name());
        assertEquals(1, top.clips().size());
        Clip placed = top.clips().get(0);
        assertEquals(50, placed.position());
        assertEquals(38, placed.length());
        assertEquals(media, placed.resource());
        for (Track t : before.timeline().tracks()) {
            assertEquals(t, after.timeline().track(t.name()).orElseThrow(), t.name() + " untouched");
        }
        String xml = Files.readString(project);
        assertTrue(xml.contains("<property name=\"kinora:effect\">generate</property>"), xml);
        assertTrue(xml.contains("\"prompt\":\"a red ball rolls to the left\""), xml);
        assertTrue(xml.contains("\"seed\":7,\"steps\":3"), xml);
        Matcher job = Pattern.compile("(job-[0-9a-f]{12}): generate, 38 frames \\(1\\.50 s at 25 fps, 320x180\\) from 2\\.00 s \\(frame 50\\)"
                + " on a new track V3 of edit.mlt").matcher(out);
        assertTrue(job.find(), out);
        assertTrue(xml.contains("<property name=\"kinora:job\">" + job.group(1) + "</property>"), xml);
        assertTrue(out.contains("track:   V3 from frame 50"), out);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("edit.mlt.")).count(), "one backup beside it");
        }
        // progress in denoising steps
        assertTrue(err.contains("step 1/3") && err.contains("step 3/3 100%"), err);
        assertFalse(err.contains("frames"), err);
    }

    @Test
    void unsetOptionsTakeTheGeneratorsDefaultsAndTheClipStartsAtTheBeginning() throws Exception {
        assertEquals(0, run(generate("--prompt", "waves", "--out", dir.resolve("broll.mlt").toString())), err);
        assertEquals(List.of("{\"prompt\":\"waves\",\"negative\":\"\",\"seed\":0,\"steps\":4,\"guidance\":5.0,\"sampler\":\"euler\","
                + "\"anchor\":\"\",\"duration\":2.0} frames=50 input=null"), renderedWith);
        assertArrayEquals(original, Files.readAllBytes(project), "--out leaves the project as it was");
        Track top = new MltProjectHost().open(dir.resolve("broll.mlt")).timeline().track("V3").orElseThrow();
        assertEquals(0, top.clips().get(0).position());
        assertEquals(50, top.clips().get(0).length());
    }

    @Test
    void growsTheTimelineWhenTheClipEndsAfterIt() throws Exception {
        assertEquals(0, run(generate("--prompt", "a blue square", "--at", "240f", "--duration", "2")), err);
        ProjectDocument after = new MltProjectHost().open(project);
        assertEquals(290, after.timeline().length());
        assertTrue(Files.readString(project).contains("<tractor id=\"tractor0\" title=\"Shotcut version 22.12.21\" in=\"0\" out=\"289\">"));
    }

    @Test
    void theAnchorClipReachesTheGeneratorThroughTheProject() throws Exception {
        assertEquals(0, run(generate("--prompt", "the same street at night", "--anchor", "V1:2@1.5", "--steps", "1")), err);
        assertTrue(renderedWith.get(0).contains("\"anchor\":\"V1:2@1.5\""), renderedWith.toString());
        // V1:2 is city.mp4 from frame 25 to 124, at the project's size
        assertEquals(List.of(new DecodeRequest(25, 124, FrameRate.FPS_25, 320, 180)), decoded);
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsWritten() throws Exception {
        List<String> files = listing();
        String[][] cases = {
                {"--prompt", "  "},
                {"--prompt", "x", "--at", "-1"},
                {"--prompt", "x", "--at", "soon"},
                {"--prompt", "x", "--duration", "0"},
                {"--prompt", "x", "--duration", "long"},
                {"--prompt", "x", "--duration", "40"},
                {"--prompt", "x", "--steps", "0"},
                {"--prompt", "x", "--sampler", "dpm"},
                {"--prompt", "x", "--anchor", "V1:2"},
                {"--prompt", "x", "--anchor", "@1.5"},
                {"--prompt", "x", "--anchor", "V1:2@"},
                {"--prompt", "x", "--anchor", "V1:2@noon"},
                {"--prompt", "x", "--anchor", "V9:1@0"},
                {"--prompt", "x", "--anchor", "V1:2@5"},
                {"--prompt", "x", "--anchor", "A1:1@0"},
                {"--prompt", "x", "--out", project.toString().replace(".mlt", ".kdenlive")},
        };
        String[] expected = {
                "kinora: error: --prompt: empty; say what to generate, e.g. --prompt \"a red ball rolls to the left\"",
                "kinora: error: --at: '-1' is before the start of the timeline; give 0 or more",
                "kinora: error: --at: 'soon' is not a time on the timeline (seconds such as 2.5",
                "kinora: error: --duration: 0 s; give a length above 0 seconds",
                "kinora: error: --duration: 'long' is not a number of seconds (e.g. 4 or 2.5)",
                "kinora: error: --duration: parameter 'duration': value '40' is out of range 0.1..30",
                "kinora: error: --steps: parameter 'steps': value '0' is out of range 1..100",
                "kinora: error: --sampler: parameter 'sampler': value 'dpm' is not one of euler|heun",
                "kinora: error: --anchor: 'V1:2' is not REF@TIME: a clip (TRACK:N such as V1:2, or a producer id) and a time in it",
                "kinora: error: --anchor: '@1.5' is not REF@TIME",
                "kinora: error: --anchor: 'V1:2@' is not REF@TIME",
                "kinora: error: --anchor: 'noon' is not a time in the clip",
                "kinora: error: --anchor: no clip 'V9:1' in ",
                "kinora: error: --anchor: 5 is past the end of clip V1:2 (100 frames, 4.00 s)",
                "kinora: error: --anchor: clip A1:1 (music.wav) is audio only; effect 'generate' needs pictures",
                "kinora: error: output project ",
        };
        String[] mentions = {"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "must keep the .mlt extension"};
        for (int i = 0; i < cases.length; i++) {
            assertEquals(1, run(generate(cases[i])), String.join(" ", cases[i]) + ": " + err + out);
            assertTrue(err.startsWith(expected[i]), String.join(" ", cases[i]) + " -> " + err);
            assertTrue(err.contains(mentions[i]), String.join(" ", cases[i]) + " -> " + err);
            assertEquals(1, err.strip().lines().count(), "one line: " + err);
            assertTrue(renderedWith.isEmpty() && encoded.isEmpty(), "nothing rendered for " + String.join(" ", cases[i]));
            assertArrayEquals(original, Files.readAllBytes(project));
            assertEquals(files, listing(), "nothing written for " + String.join(" ", cases[i]));
        }
        assertEquals(2, run(generate("--at", "2")), "--prompt is required");
        assertTrue(err.contains("--prompt"), err);
    }

    @Test
    void anEffectThatTakesAClipIsNotAGenerator() throws Exception {
        generator = new Generator(-1, 0, InputKind.VIDEO);
        assertEquals(1, run(generate("--prompt", "x")));
        assertTrue(err.startsWith("kinora: error: effect 'generate' works on a clip of the project, not from a prompt"), err);
    }

    @Test
    void cancellingLeavesTheProjectByteIdenticalAndRemovesThePartialMedia() throws Exception {
        List<String> files = listing();
        generator = new Generator(2, 0, InputKind.NONE);
        assertEquals(130, run(generate("--prompt", "a red ball", "--steps", "5")), err);
        assertTrue(err.contains(TerminalRun.CANCELLED), err);
        assertTrue(err.contains("step 1/5"), err);
        assertArrayEquals(original, Files.readAllBytes(project));
        assertEquals(files, listing(), "no media, no media folder, no backup");
        assertEquals(1, encoded.size(), "it had started writing");
    }

    @Test
    void aGeneratorThatWritesTooFewFramesFailsAndChangesNothing() throws Exception {
        List<String> files = listing();
        generator = new Generator(-1, 3, InputKind.NONE);
        assertEquals(1, run(generate("--prompt", "a red ball", "--duration", "1")), err);
        assertEquals("kinora: error: effect 'generate' wrote 22 frames; 1.00 s at 25 fps needs 25",
                err.strip().lines().reduce((a, b) -> b).orElseThrow(), err);
        assertArrayEquals(original, Files.readAllBytes(project));
        assertEquals(files, listing());
    }

    @Test
    void helpNamesEveryOptionAndShowsExamples() {
        assertEquals(0, run("generate", "--help"));
        for (String o : List.of("--prompt", "--at", "--duration", "--seed", "--steps", "--guidance", "--negative", "--anchor",
                "--sampler", "--codec", "--out")) {
            assertTrue(out.contains(o), o + " in " + out);
        }
        assertTrue(out.contains("kinora generate edit.mlt --prompt"), out);
        assertTrue(out.lines().allMatch(l -> l.length() <= 80), "fits 80 columns: " + out);
        assertEquals(0, run("--help"));
        assertTrue(out.contains("generate") && out.contains("kinora generate edit.mlt"), out);
    }

    @Test
    void progressInSteps() {
        assertEquals("[############............] step 6/12  50%  0.40 steps/s  0:15 left",
                ProgressPrinter.format(new Progress(6, 12, 0.4, 15.2), ProgressPrinter.Unit.STEPS));
        assertEquals("[############............] 45/90 frames  50%  3.2 fps  0:14 left",
                ProgressPrinter.format(new Progress(45, 90, 3.2, 14.06), ProgressPrinter.Unit.FRAMES));
    }

    /** Keeps a file only when finished, as the real media service does; decodes any clip as grey frames. */
    private final class Media implements MediaService {
        @Override
        public MediaInfo probe(Path file) {
            return new MediaInfo(file, 320, 180, FrameRate.FPS_25, 250, 10, "h264", "yuv420p", ColorInfo.UNKNOWN, false, false, 0, 0);
        }

        @Override
        public FrameSource open(Path file, DecodeRequest req) {
            decoded.add(req);
            return BlankFrames.of(probe(file), req);
        }

        @Override
        public FrameSink create(Path output, EncodeSettings settings) {
            encoded.add(settings);
            Path partial = output.resolveSibling(output.getFileName() + ".part");
            try {
                Files.writeString(partial, "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new FrameSink() {
                long written;
                boolean finished;

                @Override
                public void write(VideoFrame frame) {
                    if (frame.width() != settings.width() || frame.height() != settings.height()) {
                        throw new IllegalArgumentException("frame " + frame.width() + "x" + frame.height());
                    }
                    written++;
                }

                @Override
                public Path finish() {
                    try {
                        Files.move(partial, output);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    finished = true;
                    framesWritten.add(written);
                    return output;
                }

                @Override
                public long framesWritten() {
                    return written;
                }

                @Override
                public void close() {
                    if (!finished) {
                        try {
                            Files.deleteIfExists(partial);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            };
        }
    }
}
