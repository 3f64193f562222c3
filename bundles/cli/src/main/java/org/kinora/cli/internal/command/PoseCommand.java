package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.cli.internal.apply.ProgressPrinter;
import org.kinora.cli.internal.preview.ClipTime;
import org.kinora.core.KinoraException;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.pose.BvhView;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTracks;
import org.kinora.core.pose.TrackOptions;
import org.kinora.core.time.FrameRate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kinora pose}: pose tracks, for the pose-animate effect. */
@Command(name = "pose", mixinStandardHelpOptions = true,
        description = {"Pose tracks: the keypoints of a person over time, which the pose-animate effect moves a still along."},
        subcommands = {PoseCommand.Extract.class, PoseCommand.Retarget.class})
public final class PoseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code kinora pose extract MEDIA --out TRACK.json}. */
    @Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Find the most prominent person in every frame of a video (or in a photo) with MoveNet and write the"
                    + " keypoints as a Kinora pose track, smoothed over time.",
                    "A Kinora track is one JSON file (\"format\": \"kinora-pose-track\") holding the frame rate, the picture"
                            + " size and, for every frame, the 17 COCO keypoints of one person as x, y in pixels and a"
                            + " confidence from 0 to 1; samples/pose/README.md describes it. Use it as track=FILE of pose-animate."
                            + " Press Ctrl-C to cancel: nothing is written then."},
            footer = {"", "Examples:",
                    "  kinora pose extract dance.mp4 --out dance-pose.json",
                    "  kinora pose extract dance.mp4 --from 2.5 --to 8 --fps 25 --out part.json --force",
                    "  kinora pose extract photo.jpg --out rest-pose.json"})
    public static final class Extract implements Callable<Integer> {

        /** Confidence from which a joint counts as seen in the summary (MoveNet's usual threshold). */
        static final float SEEN = 0.3f;
        /** Joints the summary reports: the face is left out but for the nose. */
        static final List<Joint> MAIN = List.of(Joint.NOSE, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER, Joint.LEFT_ELBOW,
                Joint.RIGHT_ELBOW, Joint.LEFT_WRIST, Joint.RIGHT_WRIST, Joint.LEFT_HIP, Joint.RIGHT_HIP, Joint.LEFT_KNEE,
                Joint.RIGHT_KNEE, Joint.LEFT_ANKLE, Joint.RIGHT_ANKLE);
        /** The highest --fps taken: above it a long video would be decoded into more frames than anyone wants. */
        static final double MAX_FPS = 240;

        private final Services services;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MEDIA", description = "A video, or a still image (a one-frame track).")
        Path media;

        @Option(names = "--out", required = true, paramLabel = "TRACK.json", description = "The track file to write (*.json).")
        Path out;

        @Option(names = "--force", description = "Replace --out when it exists.")
        boolean force;

        @Option(names = "--from", paramLabel = "TIME",
                description = "Start here: seconds (2.5), a clock (1:02.5) or a frame number (48f, at the track's rate). Default: the start.")
        String from;

        @Option(names = "--to", paramLabel = "TIME",
                description = "Stop before this time (same forms as --from). Default, or past the end: the end.")
        String to;

        @Option(names = "--fps", paramLabel = "RATE",
                description = "Frame rate of the track: 25, 29.97, 30000/1001. Default: the video's own rate.")
        String fps;

        public Extract(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path target = checkOut();
            Path file = media.toAbsolutePath().normalize();
            if (!Files.exists(file)) {
                throw new KinoraException("media not found: " + file);
            }
            if (!Files.isRegularFile(file)) {
                throw new KinoraException("not a media file: " + file + " is a folder");
            }
            MediaInfo info = services.media().probe(file);
            if (info.width() <= 0 || info.height() <= 0) {
                throw new KinoraException(file + " has no video stream: pose extraction needs pictures");
            }
            FrameRate rate = rate(info);
            long total = info.still() ? 1 : frames(info, rate);
            long first = from == null ? 0 : ClipTime.frame("--from", from, rate);
            long end = to == null ? total : Math.min(total, ClipTime.frame("--to", to, rate));
            if (first >= total) {
                throw new KinoraException("--from " + from + " is at or past the end of " + file.getFileName() + " (" + total
                        + (total == 1 ? " frame" : " frames") + " at " + rate + " fps)");
            }
            if (end <= first) {
                throw new KinoraException("--to " + to + " is not after --from " + (from == null ? "0" : from));
            }
            PoseTracks poses = services.poseTracks();
            if (poses == null) {
                throw new KinoraException("pose tracks are not available: the pose-animate bundle is not running");
            }
            o.printf(Locale.ROOT, "%s: %dx%d, frames %d..%d (%d) at %s fps%n", file.getFileName(), info.width(), info.height(),
                    first, end - 1, end - first, rate);
            // MoveNet sees a 256 px square: frames are decoded at most 512 px a side, the track scaled back to the file's pixels
            int[] size = PoseTracks.analysisSize(info.width(), info.height());
            PoseTrack track = extract(poses, file, new DecodeRequest(first, end - 1, rate, size[0], size[1]), rate, err);
            if (track == null) {
                return 130;
            }
            track = scaled(track, info.width(), info.height());
            poses.write(track, target);
            summary(o, track, target);
            return 0;
        }

        /** Runs the extraction with progress on stderr; Ctrl-C cancels it. Null when cancelled. */
        private PoseTrack extract(PoseTracks poses, Path file, DecodeRequest request, FrameRate rate, PrintWriter err)
                throws KinoraException, InterruptedException {
            ApplyJob job = new ApplyJob();
            ProgressPrinter printer = new ProgressPrinter(err, System.console() != null);
            job.onProgress(printer);
            CountDownLatch finished = new CountDownLatch(1);
            AtomicBoolean told = new AtomicBoolean();
            Thread hook = new Thread(() -> {
                job.cancel();
                if (services.inference() != null) {
                    services.inference().cancel(job.id());
                }
                try {
                    // the JVM halts when the hooks end: give the extraction the time to stop before saying so
                    if (finished.await(10, TimeUnit.SECONDS) && told.compareAndSet(false, true)) {
                        printer.finish();
                        err.println(CANCELLED);
                    }
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "kinora-pose-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            PoseTrack track;
            try (FrameSource frames = services.media().open(file, request)) {
                job.started();
                job.progress(0, request.frameCount());
                track = poses.extract(frames, file.getFileName().toString(), rate.fps(), job);
            } finally {
                printer.finish();
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // already exiting: the hook is running
                }
            }
            if (job.isCancelled()) {
                if (told.compareAndSet(false, true)) {
                    err.println(CANCELLED);
                }
                return null;
            }
            return track;
        }

        /** The track with its positions moved from the picture it was found on to a {@code width x height} one. */
        static PoseTrack scaled(PoseTrack t, int width, int height) {
            if (t.width() == width && t.height() == height || t.width() <= 0 || t.height() <= 0) {
                return t;
            }
            double sx = (double) width / t.width();
            double sy = (double) height / t.height();
            List<Pose> out = new java.util.ArrayList<>(t.size());
            for (Pose p : t.frames()) {
                float[] x = p.xs();
                float[] y = p.ys();
                for (int j = 0; j < x.length; j++) {
                    // pixel centres: x + 0.5 scales
                    x[j] = (float) ((x[j] + 0.5) * sx - 0.5);
                    y[j] = (float) ((y[j] + 0.5) * sy - 0.5);
                }
                out.add(new Pose(x, y, p.scores()));
            }
            return new PoseTrack(t.source(), t.format(), t.fps(), width, height, out);
        }

        /** The message shown when the user cancelled. */
        static final String CANCELLED = "kinora: cancelled; no track was written";

        /** The checked --out, absolute. */
        private Path checkOut() throws KinoraException {
            Path target = out.toAbsolutePath().normalize();
            if (!target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                throw new KinoraException("--out " + out + ": a pose track is written as JSON; name the file *.json");
            }
            if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
                throw new KinoraException("--out " + out + ": folder " + target.getParent() + " does not exist");
            }
            if (Files.isDirectory(target)) {
                throw new KinoraException("--out " + out + " is a folder");
            }
            if (Files.exists(target) && !force) {
                throw new KinoraException("--out " + out + " already exists (add --force to replace it)");
            }
            return target;
        }

        private FrameRate rate(MediaInfo info) throws KinoraException {
            if (fps == null) {
                return info.frameRate();
            }
            FrameRate r;
            try {
                r = FrameRate.parse(fps);
            } catch (IllegalArgumentException e) {
                throw new KinoraException("--fps '" + fps + "' is not a frame rate (25, 29.97 or 30000/1001)");
            }
            if (!(r.fps() > 0 && r.fps() <= MAX_FPS)) {
                throw new KinoraException("--fps " + fps + " is outside 0.." + (int) MAX_FPS);
            }
            return r;
        }

        /** Frames of the video at {@code rate}: its own count at its own rate, from its duration at another. */
        private static long frames(MediaInfo info, FrameRate rate) {
            if (rate.equals(info.frameRate()) && info.frameCount() > 0) {
                return info.frameCount();
            }
            // the frames whose time n / rate falls inside the video; a hair of slack against rounding of the duration
            return Math.max(1, (long) Math.ceil(info.durationSeconds() * rate.fps() - 1e-6));
        }

        private static void summary(PrintWriter o, PoseTrack track, Path target) {
            int n = track.size();
            o.printf(Locale.ROOT, "track: %d %s at %s fps, %dx%d%n", n, n == 1 ? "frame" : "frames", fpsText(track.fps()),
                    track.width(), track.height());
            o.printf(Locale.ROOT, "%-16s %-14s %s%n", "JOINT", "SEEN (>= " + SEEN + ")", "MEAN CONFIDENCE");
            for (Joint j : MAIN) {
                int seen = 0;
                double sum = 0;
                for (Pose p : track.frames()) {
                    seen += p.seen(j, SEEN) ? 1 : 0;
                    sum += p.score(j);
                }
                o.printf(Locale.ROOT, "%-16s %-14s %.2f%n", j.key(), seen + "/" + n, sum / n);
            }
            o.printf("written: %s%n", target);
        }

        private static String fpsText(double fps) {
            return fps == Math.rint(fps) ? String.valueOf((long) fps) : String.format(Locale.ROOT, "%.3f", fps);
        }
    }

    /** {@code kinora pose retarget --track DRIVER --rest CHARACTER --out TRACK.json}. */
    @Command(name = "retarget", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Map a driver's pose track onto a character as pose-animate does, and write the character's skeleton"
                    + " per frame as a Kinora pose track: every bone of the character keeps its own length and takes the driver's"
                    + " direction (foreshortening carried over as a ratio of the driver's longest length of that bone), rebuilt"
                    + " from the pelvis, which follows the driver's pelvis scaled to the character's height (--root follow) or"
                    + " stays put (--root pin). Joints the driver misses for a few frames are interpolated first.",
                    "Positions are in the pixels of the character's picture (the rest pose's)."},
            footer = {"", "Examples:",
                    "  kinora pose extract photo.jpg --out rest.json",
                    "  kinora pose retarget --track dance.json --rest rest.json --out dance-on-photo.json"})
    public static final class Retarget implements Callable<Integer> {

        private final Services services;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--track", required = true, paramLabel = "FILE",
                description = "The driver's track: a Kinora track, OpenPose JSON (file or folder), COCO-17 keypoints or BVH.")
        Path track;

        @Option(names = "--rest", required = true, paramLabel = "FILE", description = "The character's rest pose: its first frame is used.")
        Path rest;

        @Option(names = "--out", required = true, paramLabel = "TRACK.json", description = "The track file to write (*.json).")
        Path out;

        @Option(names = "--force", description = "Replace --out when it exists.")
        boolean force;

        @Option(names = "--root", defaultValue = "follow", paramLabel = "follow|pin",
                description = "follow: the pelvis moves as the driver's does, scaled; pin: it stays where the rest pose has it.")
        String root;

        @Option(names = "--bvh-view", defaultValue = "front", paramLabel = "VIEW",
                description = "For a BVH track: the side it is seen from: front, back, left, right (default: front).")
        String view;

        @Option(names = "--fps", paramLabel = "RATE", description = "For a BVH track: the rate its frames are resampled to (default: its own).")
        String fps;

        public Retarget(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() throws Exception {
            PoseTracks poses = services.poseTracks();
            if (poses == null) {
                throw new KinoraException("pose tracks are not available: the pose-animate bundle is not running");
            }
            Path target = out.toAbsolutePath().normalize();
            if (!target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                throw new KinoraException("--out " + out + ": a pose track is written as JSON; name the file *.json");
            }
            if (Files.exists(target) && !force) {
                throw new KinoraException("--out " + out + " already exists (add --force to replace it)");
            }
            if (!root.equals("follow") && !root.equals("pin")) {
                throw new KinoraException("--root '" + root + "' is not follow or pin");
            }
            BvhView v;
            try {
                v = BvhView.valueOf(view.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new KinoraException("--bvh-view '" + view + "' is not front, back, left or right");
            }
            double rate = 0;
            if (fps != null) {
                try {
                    rate = FrameRate.parse(fps).fps();
                } catch (IllegalArgumentException e) {
                    throw new KinoraException("--fps '" + fps + "' is not a frame rate (25, 29.97 or 30000/1001)");
                }
            }
            PoseTrack driver = poses.read(track, new TrackOptions(v, rate, 0));
            PoseTrack character = poses.read(rest, TrackOptions.defaults());
            PoseTrack result = poses.retarget(driver, character.frames().get(0), root.equals("pin"));
            if (result.fps() == 0) {
                // OpenPose and COCO files do not say their rate; a Kinora track must
                result = new PoseTrack(result.source(), result.format(), rate > 0 ? rate : 25, 0, 0, result.frames());
            }
            poses.write(result, target);
            spec.commandLine().getOut().printf(Locale.ROOT, "retargeted %d frames of %s onto %s: written %s%n", result.size(),
                    track.getFileName(), rest.getFileName(), target);
            return 0;
        }
    }
}
