package org.kinora.effect.pose.internal.track;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.kinora.core.pose.BvhView;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;

/**
 * Reads a BVH motion capture into a 2D track: the hierarchy is parsed, each frame's world positions come from forward
 * kinematics, the COCO-17 joints are picked by name ({@link BvhJointNames}) and projected orthographically through the
 * chosen {@link BvhView} (y up in the capture, the performer facing +z at rest; picture y down). Frames are read one line
 * at a time and only the 17 projected points of each are kept.
 */
final class BvhReader {

    /** Most joints (End Sites included) in a hierarchy. */
    static final int MAX_JOINTS = 1000;
    /**
     * Deepest nesting of joints: the hierarchy is read recursively, so a file nested deeper than any skeleton (whose
     * chains, fingers included, are a few dozen joints long) is refused before it can overflow the stack.
     */
    static final int MAX_DEPTH = 100;
    /** Most frames. */
    static final int MAX_FRAMES = 1_000_000;
    /** The margin around the performer, as a share of the rest pose's height. */
    static final double MARGIN = 0.05;

    private final Path file;
    private final TrackOptions options;
    private BufferedReader in;
    private int lineNr;
    private final Deque<String> tokens = new ArrayDeque<>();
    private final List<BvhSkeleton.Node> nodes = new ArrayList<>();
    private int values;

    BvhReader(Path file, TrackOptions options) {
        this.file = file;
        this.options = options;
    }

    PoseTrack read() throws PoseTrackException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            in = r;
            expect("HIERARCHY");
            String t = next("ROOT");
            while (t.equals("ROOT")) {
                joint(-1, false, 1);
                t = next("MOTION");
            }
            if (!t.equals("MOTION")) {
                throw syntax("expected ROOT or MOTION, found \"" + t + "\"");
            }
            if (nodes.isEmpty()) {
                throw fail("the hierarchy has no ROOT joint");
            }
            BvhSkeleton skeleton = new BvhSkeleton(nodes);
            int frames = frameCount();
            double frameTime = frameTime();
            return motion(skeleton, frames, frameTime);
        } catch (IOException e) {
            throw new PoseTrackException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private void joint(int parent, boolean endSite, int depth) throws IOException, PoseTrackException {
        if (depth > MAX_DEPTH) {
            throw syntax("joints nested more than " + MAX_DEPTH + " deep");
        }
        String name;
        if (endSite) {
            expect("Site");
            name = nodes.get(parent).name() + "/End Site";
        } else {
            name = next("a joint name");
        }
        if (nodes.size() >= MAX_JOINTS) {
            throw syntax("more than " + MAX_JOINTS + " joints");
        }
        int index = nodes.size();
        nodes.add(null);
        expect("{");
        double[] offset = null;
        int[] channels = new int[0];
        int first = values;
        while (true) {
            String t = next("OFFSET, CHANNELS, JOINT, End Site or }");
            switch (t) {
                case "OFFSET" -> offset = new double[] {number("OFFSET x"), number("OFFSET y"), number("OFFSET z")};
                case "CHANNELS" -> {
                    if (endSite) {
                        throw syntax(name + ": an End Site has no channels");
                    }
                    channels = channels(name);
                    values += channels.length;
                }
                case "JOINT", "End" -> {
                    if (endSite) {
                        throw syntax(name + ": an End Site has no joints under it");
                    }
                    if (offset == null) {
                        throw syntax("joint " + name + ": no OFFSET before its children");
                    }
                    nodes.set(index, new BvhSkeleton.Node(name, parent, false, offset, channels, first));
                    joint(index, t.equals("End"), depth + 1);
                }
                case "}" -> {
                    if (offset == null) {
                        throw syntax("joint " + name + " has no OFFSET");
                    }
                    nodes.set(index, new BvhSkeleton.Node(name, parent, endSite, offset, channels, first));
                    return;
                }
                default -> throw syntax("joint " + name + ": unexpected \"" + t + "\"");
            }
        }
    }

    private int[] channels(String joint) throws IOException, PoseTrackException {
        String count = next("the number of channels");
        int n;
        try {
            n = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw syntax("joint " + joint + ": CHANNELS count \"" + count + "\" is not a number");
        }
        // names are read before the count is judged, so a file with an extra channel (Xscale, ...) hears which one
        if (n < 0 || n > MAX_CHANNEL_NAMES) {
            throw syntax("joint " + joint + ": " + n + " channels; supported are at most 6 ("
                    + String.join(", ", BvhSkeleton.CHANNELS) + ")");
        }
        int[] kinds = new int[n];
        for (int i = 0; i < n; i++) {
            String c = next("a channel name");
            kinds[i] = Arrays.asList(BvhSkeleton.CHANNELS).indexOf(c);
            if (kinds[i] < 0) {
                throw syntax("joint " + joint + ": unsupported channel " + c + "; supported channels are "
                        + String.join(", ", BvhSkeleton.CHANNELS));
            }
        }
        if (n > 6) {
            throw syntax("joint " + joint + ": " + n + " channels; supported are at most 6 ("
                    + String.join(", ", BvhSkeleton.CHANNELS) + ")");
        }
        return kinds;
    }

    /** Most channel names read on one CHANNELS line (BVH has 6 at most; scale channels make 9). */
    private static final int MAX_CHANNEL_NAMES = 12;

    private int frameCount() throws IOException, PoseTrackException {
        expect("Frames:");
        String t = next("the number of frames");
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw syntax("\"Frames: " + t + "\" is not a number of frames");
        }
        if (n < 1) {
            throw syntax("the track has no frames (Frames: " + n + ")");
        }
        if (n > MAX_FRAMES) {
            throw syntax(n + " frames; at most " + MAX_FRAMES + " are read");
        }
        return (int) n;
    }

    private double frameTime() throws IOException, PoseTrackException {
        expect("Frame");
        expect("Time:");
        double t = number("Frame Time");
        if (!(t > 0) || t > 60) {
            throw syntax("Frame Time " + t + " is not a duration above 0 s");
        }
        return t;
    }

    private PoseTrack motion(BvhSkeleton skeleton, int frames, double frameTime) throws IOException, PoseTrackException {
        int[] slot = mapJoints(skeleton);
        double[] rest = skeleton.positions(null);
        double top = slot[Joint.NOSE.ordinal()] >= 0 ? rest[3 * slot[Joint.NOSE.ordinal()] + 1]
                : Math.max(rest[3 * slot[Joint.LEFT_SHOULDER.ordinal()] + 1], rest[3 * slot[Joint.RIGHT_SHOULDER.ordinal()] + 1]);
        double bottom = Math.min(rest[3 * slot[Joint.LEFT_ANKLE.ordinal()] + 1], rest[3 * slot[Joint.RIGHT_ANKLE.ordinal()] + 1]);
        double restHeight = top - bottom;
        if (!(restHeight > 0)) {
            throw fail("in the rest pose the head is not above the ankles (Kinora reads BVH with y up)");
        }
        double scale = options.height() > 0 ? options.height() / restHeight : 1;

        List<float[]> points = new ArrayList<>();
        double[] values = new double[skeleton.values()];
        float minX = Float.POSITIVE_INFINITY;
        float minY = Float.POSITIVE_INFINITY;
        float maxX = Float.NEGATIVE_INFINITY;
        float maxY = Float.NEGATIVE_INFINITY;
        String line;
        while ((line = in.readLine()) != null) {
            lineNr++;
            if (line.isBlank()) {
                continue;
            }
            int f = points.size();
            if (f >= frames) {
                throw fail("more frame lines than \"Frames: " + frames + "\" says (line " + lineNr + ")");
            }
            frameValues(skeleton, line.trim(), f, values);
            double[] world = skeleton.positions(values);
            float[] xy = new float[2 * Joint.COUNT];
            for (int j = 0; j < Joint.COUNT; j++) {
                if (slot[j] >= 0) {
                    xy[2 * j] = (float) (scale * screenX(world, slot[j]));
                    xy[2 * j + 1] = (float) (-scale * world[3 * slot[j] + 1]);
                    minX = Math.min(minX, xy[2 * j]);
                    maxX = Math.max(maxX, xy[2 * j]);
                    minY = Math.min(minY, xy[2 * j + 1]);
                    maxY = Math.max(maxY, xy[2 * j + 1]);
                }
            }
            points.add(xy);
        }
        if (points.size() < frames) {
            throw fail("\"Frames: " + frames + "\" but the file has " + points.size() + " frame lines");
        }
        float margin = (float) (MARGIN * scale * restHeight);
        float dx = margin - minX;
        float dy = margin - minY;
        List<Pose> poses = new ArrayList<>(points.size());
        for (int f = 0; f < points.size(); f++) {
            float[] xy = points.get(f);
            points.set(f, null);
            float[] x = new float[Joint.COUNT];
            float[] y = new float[Joint.COUNT];
            float[] s = new float[Joint.COUNT];
            for (int j = 0; j < Joint.COUNT; j++) {
                if (slot[j] >= 0) {
                    x[j] = xy[2 * j] + dx;
                    y[j] = xy[2 * j + 1] + dy;
                    s[j] = 1;
                }
            }
            poses.add(new Pose(x, y, s));
        }
        int width = (int) Math.ceil(maxX - minX + 2 * margin);
        int height = (int) Math.ceil(maxY - minY + 2 * margin);
        PoseTrack track = new PoseTrack(String.valueOf(file.getFileName()), "bvh", 1 / frameTime, Math.max(1, width),
                Math.max(1, height), poses);
        return options.fps() > 0 ? TrackCleanup.resample(track, options.fps()) : track;
    }

    private double screenX(double[] world, int node) {
        double x = world[3 * node];
        double z = world[3 * node + 2];
        // the performer faces +z with their left towards +x; a camera's right is its forward direction cross up
        return switch (options.bvhView()) {
            case FRONT -> x;
            case BACK -> -x;
            case LEFT -> -z;
            case RIGHT -> z;
        };
    }

    private void frameValues(BvhSkeleton skeleton, String line, int frame, double[] out) throws PoseTrackException {
        String[] parts = line.split("\\s+");
        if (parts.length != out.length) {
            throw fail("frame " + frame + " (line " + lineNr + ") has " + parts.length + " values; the hierarchy has "
                    + out.length + " channels");
        }
        for (int i = 0; i < parts.length; i++) {
            double v;
            try {
                v = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v)) {
                throw fail("frame " + frame + " (line " + lineNr + "), " + channelName(skeleton, i) + ": \"" + parts[i]
                        + "\" is not a number");
            }
            out[i] = v;
        }
    }

    private static String channelName(BvhSkeleton skeleton, int value) {
        for (BvhSkeleton.Node n : skeleton.nodes()) {
            if (value >= n.firstValue() && value < n.firstValue() + n.channels().length) {
                return "joint " + n.name() + " " + BvhSkeleton.CHANNELS[n.channels()[value - n.firstValue()]];
            }
        }
        return "value " + value;
    }

    /** The node of each COCO-17 joint, -1 where the rig has none (eyes and ears always). */
    private int[] mapJoints(BvhSkeleton skeleton) throws PoseTrackException {
        int[] slot = new int[Joint.COUNT];
        Arrays.fill(slot, -1);
        int[] rank = new int[Joint.COUNT];
        Arrays.fill(rank, Integer.MAX_VALUE);
        int head = -1;
        List<BvhSkeleton.Node> list = skeleton.nodes();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).endSite()) {
                continue;
            }
            String name = BvhJointNames.normalize(list.get(i).name());
            if (head < 0 && BvhJointNames.isHead(name)) {
                head = i;
            }
            for (Joint j : BvhJointNames.limbJoints()) {
                int r = BvhJointNames.rank(name, j);
                if (r >= 0 && r < rank[j.ordinal()]) {
                    rank[j.ordinal()] = r;
                    slot[j.ordinal()] = i;
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (Joint j : BvhJointNames.limbJoints()) {
            if (slot[j.ordinal()] < 0) {
                missing.add(j.key());
            }
        }
        if (!missing.isEmpty()) {
            List<String> names = skeleton.jointNames();
            String have = String.join(", ", names.subList(0, Math.min(names.size(), 80))) + (names.size() > 80 ? ", ..." : "");
            throw fail("no joint found for " + String.join(", ", missing) + " (names like LeftArm/LeftShoulder, LeftForeArm/"
                    + "LeftElbow, LeftHand/LeftWrist, LeftUpLeg/LeftHip, LeftLeg/LeftKnee, LeftFoot/LeftAnkle, lShldr, lThigh,"
                    + " and the Right ones); the file's joints: " + have);
        }
        if (head >= 0) {
            int end = skeleton.endSiteOf(head);
            slot[Joint.NOSE.ordinal()] = end >= 0 ? end : head;
        }
        return slot;
    }

    private void expect(String word) throws IOException, PoseTrackException {
        String t = next(word);
        if (!t.equals(word)) {
            throw syntax("expected " + word + ", found \"" + t + "\"");
        }
    }

    private double number(String what) throws IOException, PoseTrackException {
        String t = next(what);
        try {
            double v = Double.parseDouble(t);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw syntax(what + " \"" + t + "\" is not a number");
    }

    private String next(String what) throws IOException, PoseTrackException {
        while (tokens.isEmpty()) {
            String line = in.readLine();
            if (line == null) {
                throw syntax("the file ends where " + what + " was expected");
            }
            lineNr++;
            if (lineNr == 1 && line.startsWith("\u00EF\u00BB\u00BF")) {
                line = line.substring(3);
            }
            for (String t : line.trim().split("\\s+")) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens.poll();
    }

    private PoseTrackException fail(String problem) {
        return TrackJson.fail(file, problem);
    }

    /** A problem in the hierarchy or the MOTION header, at the line read last. */
    private PoseTrackException syntax(String problem) {
        return TrackJson.fail(file, "line " + lineNr + ": " + problem);
    }
}
