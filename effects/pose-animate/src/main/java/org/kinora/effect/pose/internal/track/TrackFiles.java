package org.kinora.effect.pose.internal.track;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;

/**
 * Reads pose tracks in every supported format and writes Kinora tracks; the implementation behind
 * {@link org.kinora.core.pose.PoseTracks#read} and {@link org.kinora.core.pose.PoseTracks#write}. The format is told
 * from the content, not the name: a folder is OpenPose per-frame files, text starting with {@code HIERARCHY} is BVH, and
 * JSON is sorted by its fields (see {@code samples/pose/README.md}). Every track read must see each of the joints the
 * animation needs ({@link #REQUIRED}) in at least one frame.
 */
public final class TrackFiles {

    /** Largest file read (bytes). */
    public static final long MAX_FILE_BYTES = 256L << 20;
    /** Largest per-frame file in an OpenPose folder (bytes). */
    public static final long MAX_FRAME_FILE_BYTES = 16L << 20;
    /** Most files in an OpenPose folder. */
    public static final int MAX_FOLDER_FILES = 200_000;
    /** Most frames in a track. */
    public static final int MAX_FRAMES = 1_000_000;
    /** The joints a track must see in at least one frame to drive an animation. */
    public static final List<Joint> REQUIRED = List.of(Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER, Joint.LEFT_ELBOW,
            Joint.RIGHT_ELBOW, Joint.LEFT_WRIST, Joint.RIGHT_WRIST, Joint.LEFT_HIP, Joint.RIGHT_HIP, Joint.LEFT_KNEE,
            Joint.RIGHT_KNEE, Joint.LEFT_ANKLE, Joint.RIGHT_ANKLE);

    private TrackFiles() {
    }

    /**
     * Reads a track of any supported kind (OpenPose folder or JSON, COCO-17 keypoint JSON, BVH, Kinora track) and checks
     * that it can drive an animation ({@link #requireJoints}).
     *
     * @param options how a BVH file is projected, scaled and resampled; ignored for the other kinds
     * @throws PoseTrackException whose message starts with the file, then the frame and joint where they apply
     */
    public static PoseTrack read(Path file, TrackOptions options) throws PoseTrackException {
        PoseTrack track = Files.isDirectory(file) ? readFolder(file, MAX_FOLDER_FILES) : readFile(file, options);
        requireJoints(track, file);
        return track;
    }

    /**
     * Fails unless every joint in {@link #REQUIRED} is seen (score above 0) in at least one frame.
     *
     * @param file what to name in the message
     */
    public static void requireJoints(PoseTrack track, Path file) throws PoseTrackException {
        boolean[] seen = new boolean[Joint.COUNT];
        for (var pose : track.frames()) {
            for (Joint j : REQUIRED) {
                seen[j.ordinal()] |= pose.score(j) > 0;
            }
        }
        List<String> missing = new ArrayList<>();
        for (Joint j : REQUIRED) {
            if (!seen[j.ordinal()]) {
                missing.add(j.key());
            }
        }
        if (!missing.isEmpty()) {
            throw TrackJson.fail(file, "joints never seen in any of the " + track.size() + " frames: " + String.join(", ", missing)
                    + " (an animation needs both shoulders, elbows, wrists, hips, knees and ankles)");
        }
    }

    /**
     * Writes {@code track} as a Kinora track (format in {@code samples/pose/README.md}): into a temporary file in the
     * same folder, then renamed over {@code file} in one step, so a reader never sees half a file.
     *
     * @throws PoseTrackException naming the file when the track has no frame rate (the format requires one) or the file
     *                            cannot be written
     */
    public static void write(PoseTrack track, Path file) throws PoseTrackException {
        if (!(track.fps() > 0)) {
            throw TrackJson.fail(file, "a Kinora track needs a frame rate, and the track from " + track.source()
                    + " has none (resample it to the project's rate first)");
        }
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temp);
                    BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
                KinoraTrack.write(track, w);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new PoseTrackException(file + ": cannot be written: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one reported
                }
            }
        }
    }

    private static PoseTrack readFile(Path file, TrackOptions options) throws PoseTrackException {
        if (!Files.isRegularFile(file)) {
            throw TrackJson.fail(file, Files.exists(file) ? "not a file or folder that can be read" : "no such file");
        }
        if (!Files.isReadable(file)) {
            throw TrackJson.fail(file, "not readable (permissions)");
        }
        long bytes = size(file);
        if (bytes > MAX_FILE_BYTES) {
            throw TrackJson.fail(file, bytes + " bytes; track files of at most " + MAX_FILE_BYTES + " bytes (256 MiB) are read");
        }
        return switch (sniff(file)) {
            case 'H' -> new BvhReader(file, options).read();
            case '{', '[' -> new JsonTrackReader(file, MAX_FRAMES).read();
            default -> throw TrackJson.fail(file, bytes == 0 ? "the file is empty; " + JsonTrackReader.ACCEPTED
                    : "neither JSON nor BVH (a BVH file starts with HIERARCHY); " + JsonTrackReader.ACCEPTED);
        };
    }

    /** The first meaningful character: 'H' for a BVH file's HIERARCHY, '{' or '[' for JSON, 0 for anything else. */
    private static char sniff(Path file) throws PoseTrackException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            if (text.startsWith("\u00EF\u00BB\u00BF")) {
                text = text.substring(3);
            }
            text = text.stripLeading();
            if (text.startsWith("HIERARCHY")) {
                return 'H';
            }
            return text.startsWith("{") || text.startsWith("[") ? text.charAt(0) : 0;
        } catch (IOException e) {
            throw new PoseTrackException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static long size(Path file) throws PoseTrackException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new PoseTrackException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A folder of OpenPose per-frame files: {@code *_keypoints.json} when there are any, else every {@code *.json}.
     *
     * @param maxFiles the most files (of any kind) the folder may hold
     */
    static PoseTrack readFolder(Path folder, int maxFiles) throws PoseTrackException {
        List<Path> keypoints = new ArrayList<>();
        List<Path> json = new ArrayList<>();
        int count = 0;
        try (DirectoryStream<Path> list = Files.newDirectoryStream(folder)) {
            for (Path p : list) {
                if (++count > maxFiles) {
                    throw TrackJson.fail(folder, "more than " + maxFiles + " files in the folder");
                }
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith("_keypoints.json")) {
                    keypoints.add(p);
                } else if (name.endsWith(".json")) {
                    json.add(p);
                }
            }
        } catch (IOException e) {
            throw new PoseTrackException(folder + ": cannot be listed: " + e.getMessage(), e);
        }
        List<Path> files = keypoints.isEmpty() ? json : keypoints;
        if (files.isEmpty()) {
            throw TrackJson.fail(folder, "the track has no frames: a folder track holds OpenPose per-frame files"
                    + " (*_keypoints.json or *.json), and this folder has none");
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString(), TrackFiles::compareNatural));
        OpenPoseFrames frames = new OpenPoseFrames(folder);
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String where = "frame " + i + " (" + f.getFileName() + ")";
            long bytes = size(f);
            if (bytes > MAX_FRAME_FILE_BYTES) {
                throw TrackJson.fail(folder, where + ": " + bytes + " bytes; per-frame files of at most " + MAX_FRAME_FILE_BYTES
                        + " bytes are read");
            }
            JsonNode frame;
            try {
                frame = TrackJson.JSON.readTree(f.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw TrackJson.fail(folder, where + ": not valid JSON (line " + e.getLocation().getLineNr() + "): "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new PoseTrackException(folder + ": " + where + ": cannot be read: " + e.getMessage(), e);
            }
            if (frame == null || !OpenPoseFrames.isFrame(frame)) {
                throw TrackJson.fail(folder, where + ": not an OpenPose frame (an object with a \"people\" list); a folder"
                        + " track holds OpenPose per-frame files");
            }
            frames.add(frame, where);
        }
        return frames.finish(String.valueOf(folder.getFileName()));
    }

    /** Name order with runs of digits compared as numbers ({@code f2} before {@code f10}). */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String da = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String db = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
