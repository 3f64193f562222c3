package org.kinora.effect.motionbrush.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a short text cue into a motion with a small keyword parser (no language model): the cue is split into words
 * and only the words in the tables below count; every other word ("the", "to", "a") is ignored.
 * <ul>
 * <li><b>Kind</b>: the first <i>subject</i> word decides (water, river, stream, smoke, steam, clouds, mist, fog,
 * waterfall: flow; flag, banner, leaves, grass, branches, trees, hair, curtain, reeds, wheat: sway; pond, lake, puddle,
 * pool, ripples: ripple; wheel, windmill, fan, propeller, whirlpool: rotate). Without a subject the first <i>motion</i>
 * word decides (flowing, drifting, streaming, pouring, rising, falling: flow; waving, swaying, fluttering, rustling,
 * swinging: sway; rippling: ripple; spinning, rotating, turning, whirling: rotate; zooming, growing, expanding,
 * approaching: zoom; shrinking, receding: zoom inward).</li>
 * <li><b>Direction</b>: left, right, up, down (and leftward, rightward, upward, downward, rising, falling, sinking);
 * several add up ("up and to the right" is diagonal). Without one: smoke, steam and mist rise, a waterfall falls,
 * everything else flows or sways to the right; clockwise / counterclockwise (anticlockwise) for rotate.</li>
 * <li><b>Speed</b>: slowly, slow, gently, gentle, softly, lazily, calmly halve the base speed; fast, quickly, quick,
 * rapidly, strongly, wildly, briskly double it (several multiply). Base speeds in still pixels: flow
 * {@value #FLOW_SPEED} px/s; sway {@value #SWAY_AMPLITUDE} px amplitude over {@value Motion#SWAY_PERIOD} s; ripple
 * waves {@value Motion#RIPPLE_SPEED} px/s with {@value Motion#RIPPLE_AMPLITUDE} px amplitude; rotate
 * {@value #ROTATE_SPEED} px/s at the region's edge; zoom {@value #ZOOM_RATE} per second.</li>
 * </ul>
 * A cue with no kind word is an error that lists the understood words.
 */
public final class Cues {

    /** Base flow speed (px/s). */
    public static final double FLOW_SPEED = 24;
    /** Base sway amplitude (px). */
    public static final double SWAY_AMPLITUDE = 4;
    /** Base rotate speed at the region's edge (px/s). */
    public static final double ROTATE_SPEED = 20;
    /** Base zoom rate (per second). */
    public static final double ZOOM_RATE = 0.1;
    /** Longest cue accepted (characters). */
    public static final int MAX_LENGTH = 200;

    private static final Map<String, MotionKind> SUBJECTS = new LinkedHashMap<>();
    private static final Map<String, MotionKind> VERBS = new LinkedHashMap<>();
    private static final Map<String, double[]> DIRECTIONS = new LinkedHashMap<>();
    private static final Map<String, Double> SPEEDS = new LinkedHashMap<>();
    private static final Set<String> RISING_SUBJECTS = Set.of("smoke", "steam", "mist");
    private static final Set<String> FALLING_SUBJECTS = Set.of("waterfall");
    private static final Set<String> INWARD = Set.of("shrinking", "receding");

    static {
        words(SUBJECTS, MotionKind.FLOW, "water", "river", "stream", "creek", "brook", "smoke", "steam", "cloud", "clouds", "mist",
                "fog", "waterfall");
        words(SUBJECTS, MotionKind.SWAY, "flag", "flags", "banner", "leaf", "leaves", "grass", "branch", "branches", "tree", "trees",
                "hair", "curtain", "reeds", "wheat");
        words(SUBJECTS, MotionKind.RIPPLE, "pond", "lake", "puddle", "pool", "ripple", "ripples");
        words(SUBJECTS, MotionKind.ROTATE, "wheel", "windmill", "fan", "propeller", "whirlpool");
        words(VERBS, MotionKind.FLOW, "flowing", "flows", "drifting", "drifts", "streaming", "pouring", "rising", "rises", "falling",
                "falls");
        words(VERBS, MotionKind.SWAY, "waving", "waves", "swaying", "sways", "fluttering", "flutters", "rustling", "swinging");
        words(VERBS, MotionKind.RIPPLE, "rippling");
        words(VERBS, MotionKind.ROTATE, "spinning", "spins", "rotating", "rotates", "turning", "turns", "whirling");
        words(VERBS, MotionKind.ZOOM, "zooming", "growing", "expanding", "approaching", "shrinking", "receding");
        for (String w : List.of("left", "leftward", "leftwards", "westward")) {
            DIRECTIONS.put(w, new double[] {-1, 0});
        }
        for (String w : List.of("right", "rightward", "rightwards", "eastward")) {
            DIRECTIONS.put(w, new double[] {1, 0});
        }
        for (String w : List.of("up", "upward", "upwards", "rising", "rises", "skyward")) {
            DIRECTIONS.put(w, new double[] {0, -1});
        }
        for (String w : List.of("down", "downward", "downwards", "falling", "falls", "sinking")) {
            DIRECTIONS.put(w, new double[] {0, 1});
        }
        for (String w : List.of("slowly", "slow", "gently", "gentle", "softly", "lazily", "calmly")) {
            SPEEDS.put(w, 0.5);
        }
        for (String w : List.of("fast", "quickly", "quick", "rapidly", "strongly", "wildly", "briskly")) {
            SPEEDS.put(w, 2.0);
        }
    }

    private static void words(Map<String, MotionKind> map, MotionKind kind, String... words) {
        for (String w : words) {
            map.put(w, kind);
        }
    }

    private Cues() {
    }

    /**
     * The motion a cue describes.
     *
     * @throws IllegalArgumentException when no word names a kind of motion (the message lists the understood words) or
     *                                  the cue is empty or too long
     */
    public static Motion parse(String cue) {
        if (cue == null || cue.isBlank()) {
            throw new IllegalArgumentException("the cue is empty; " + understood());
        }
        if (cue.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the cue is longer than " + MAX_LENGTH + " characters");
        }
        List<String> words = new ArrayList<>();
        for (String w : cue.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        MotionKind kind = null;
        String subject = null;
        for (String w : words) {
            if (SUBJECTS.containsKey(w)) {
                kind = SUBJECTS.get(w);
                subject = w;
                break;
            }
        }
        String verb = null;
        for (String w : words) {
            if (VERBS.containsKey(w)) {
                verb = w;
                if (kind == null) {
                    kind = VERBS.get(w);
                }
                break;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("the cue '" + cue + "' names no motion; " + understood());
        }
        double dx = 0;
        double dy = 0;
        double factor = 1;
        boolean clockwise = true;
        for (String w : words) {
            double[] d = DIRECTIONS.get(w);
            if (d != null) {
                dx += d[0];
                dy += d[1];
            }
            Double s = SPEEDS.get(w);
            if (s != null) {
                factor *= s;
            }
            if (w.equals("counterclockwise") || w.equals("anticlockwise")) {
                clockwise = false;
            }
        }
        double len = Math.hypot(dx, dy);
        if (len > 0) {
            dx /= len;
            dy /= len;
        } else if (subject != null && RISING_SUBJECTS.contains(subject)) {
            dy = -1;
        } else if (subject != null && FALLING_SUBJECTS.contains(subject)) {
            dy = 1;
        } else {
            dx = 1;
        }
        double nan = Double.NaN;
        return switch (kind) {
            case FLOW -> new Motion(kind, dx, dy, FLOW_SPEED * factor, nan, nan, nan, nan, true);
            case SWAY -> new Motion(kind, dx, dy, 2 * Math.PI * SWAY_AMPLITUDE * factor / Motion.SWAY_PERIOD, nan, nan,
                    Motion.SWAY_PERIOD, nan, true);
            case RIPPLE -> new Motion(kind, 0, 0, Motion.RIPPLE_SPEED * factor, nan, Motion.RIPPLE_AMPLITUDE * Math.min(factor, 2),
                    Motion.RIPPLE_PERIOD, nan, true);
            case ROTATE -> new Motion(kind, 0, 0, ROTATE_SPEED * factor, nan, nan, nan, nan, clockwise);
            case ZOOM -> new Motion(kind, 0, 0, nan, nan, nan, nan, (verb != null && INWARD.contains(verb) ? -ZOOM_RATE : ZOOM_RATE) * factor, true);
        };
    }

    /** The words the parser knows, for error messages. */
    public static String understood() {
        return "understood words: subjects " + String.join(", ", SUBJECTS.keySet()) + "; motions " + String.join(", ", VERBS.keySet())
                + "; directions " + String.join(", ", DIRECTIONS.keySet()) + ", clockwise, counterclockwise, anticlockwise; speeds "
                + String.join(", ", SPEEDS.keySet());
    }
}
