package org.kinora.samples.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Captions for scenes, in two disjoint vocabularies. {@link #train} draws from the training templates and words, with
 * paraphrases (word order, article or none, several verbs and nouns, attributes sometimes left out); {@link #heldOut}
 * draws from other templates and from synonyms that train() never uses ("a scarlet orb gliding leftward across the
 * dunes"), so a model trained on train() captions can be tested on prompts it never saw. The held-out words are common
 * synonyms, so a sentence encoder maps them near the training words. The two share only function words (see {@link
 * #SHARED_WORDS}).
 */
public final class Captions {

    /** The only words both vocabularies may use. */
    public static final List<String> SHARED_WORDS = List.of("a", "an", "the", "on", "in", "over", "against", "is");

    private static final Map<Enum<?>, List<String>> TRAIN = Map.ofEntries(
            Map.entry(Shape.CIRCLE, List.of("circle", "ball", "disc", "dot", "globe", "round shape")),
            Map.entry(Shape.SQUARE, List.of("square", "tile", "cube", "crate", "brick")),
            Map.entry(Shape.TRIANGLE, List.of("triangle", "cone", "prism", "arrowhead")),
            Map.entry(Hue.RED, List.of("red", "ruby", "cherry", "maroon")),
            Map.entry(Hue.GREEN, List.of("green", "jade", "mint", "olive")),
            Map.entry(Hue.BLUE, List.of("blue", "navy", "sapphire", "cerulean")),
            Map.entry(Hue.YELLOW, List.of("yellow", "amber", "canary", "mustard")),
            Map.entry(Hue.WHITE, List.of("white", "pearl", "cream", "milky")),
            Map.entry(Hue.PURPLE, List.of("purple", "plum", "lilac", "mauve")),
            Map.entry(Size.SMALL, List.of("small", "little", "petite", "compact")),
            Map.entry(Size.LARGE, List.of("large", "big", "massive", "enormous")),
            Map.entry(Direction.LEFT, List.of("left", "to the left", "towards the left")),
            Map.entry(Direction.RIGHT, List.of("right", "to the right", "towards the right")),
            Map.entry(Direction.UP, List.of("up", "upwards")),
            Map.entry(Direction.DOWN, List.of("down", "downwards")),
            Map.entry(Backdrop.NIGHT, List.of("on a night background", "against a starry night sky", "at night", "beneath a midnight sky")),
            Map.entry(Backdrop.SAND, List.of("on a sandy background", "on sand", "over the sand", "on a beach")),
            Map.entry(Backdrop.GRASS, List.of("on grass", "over a grassy field", "on a grass background", "over a lawn")),
            Map.entry(Backdrop.SKY, List.of("against the sky", "in the sky", "on a sky background", "in the open sky")),
            Map.entry(Backdrop.GREY, List.of("on a grey background", "on a plain grey backdrop", "on a neutral backdrop")),
            Map.entry(Backdrop.STRIPES, List.of("on a striped background", "over stripes", "on a lined background")),
            Map.entry(Camera.STILL, List.of("the camera is still", "static camera")),
            Map.entry(Camera.PAN, List.of("the camera pans", "camera panning", "panning shot")),
            Map.entry(Camera.ZOOM, List.of("the camera zooms in", "camera zooming in", "zoom in")));

    private static final List<String> TRAIN_VERBS = List.of("moving", "going", "sliding", "travelling", "drifting", "flying", "cruising");

    /** Whole phrases of vertical motion that need no direction word ("climbing"), used instead of verb + direction now and then. */
    private static final Map<Direction, List<String>> TRAIN_MOTIONS = Map.of(Direction.UP, List.of("climbing", "soaring", "lifting off"),
            Direction.DOWN, List.of("dropping", "plunging", "diving"));

    private static final Map<Enum<?>, List<String>> HELD_OUT = Map.ofEntries(
            Map.entry(Shape.CIRCLE, List.of("sphere", "orb")),
            Map.entry(Shape.SQUARE, List.of("box", "block")),
            Map.entry(Shape.TRIANGLE, List.of("pyramid", "wedge")),
            Map.entry(Hue.RED, List.of("crimson", "scarlet")),
            Map.entry(Hue.GREEN, List.of("emerald", "lime")),
            Map.entry(Hue.BLUE, List.of("azure", "cobalt")),
            Map.entry(Hue.YELLOW, List.of("golden", "lemon")),
            Map.entry(Hue.WHITE, List.of("snowy", "ivory")),
            Map.entry(Hue.PURPLE, List.of("violet", "lavender")),
            Map.entry(Size.SMALL, List.of("tiny", "miniature")),
            Map.entry(Size.LARGE, List.of("huge", "giant")),
            Map.entry(Direction.LEFT, List.of("gliding leftward", "heading west", "floating leftward")),
            Map.entry(Direction.RIGHT, List.of("gliding rightward", "heading east", "floating rightward")),
            Map.entry(Direction.UP, List.of("rising", "ascending", "floating skyward")),
            Map.entry(Direction.DOWN, List.of("sinking", "descending", "falling")),
            Map.entry(Backdrop.NIGHT, List.of("under the stars", "in the darkness")),
            Map.entry(Backdrop.SAND, List.of("across the dunes", "over the desert")),
            Map.entry(Backdrop.GRASS, List.of("across the meadow", "over the turf")),
            Map.entry(Backdrop.SKY, List.of("amid the clouds", "through the daylight air")),
            Map.entry(Backdrop.GREY, List.of("against a dull gray wall", "before a gray canvas")),
            Map.entry(Backdrop.STRIPES, List.of("against vertical bands", "over a banded pattern")),
            Map.entry(Camera.STILL, List.of("viewed from a fixed tripod")),
            Map.entry(Camera.PAN, List.of("as the view sweeps sideways", "tracking sideways")),
            Map.entry(Camera.ZOOM, List.of("as the view pushes in", "with a slow push-in")));

    private Captions() {
    }

    /**
     * A caption from the training templates and words, e.g. "a red circle moving left on a sandy background" or
     * "small blue square drifting to the right, the camera pans". Shape, hue and direction are always named; size,
     * backdrop and camera usually.
     */
    public static String train(Scene s, Random rnd) {
        Objects.requireNonNull(s, "scene");
        Objects.requireNonNull(rnd, "rnd");
        String noun = word(TRAIN, s.shape(), rnd);
        String hue = word(TRAIN, s.hue(), rnd);
        String size = rnd.nextDouble() < 0.8 ? word(TRAIN, s.size(), rnd) : null;
        String motion = TRAIN_MOTIONS.containsKey(s.direction()) && rnd.nextDouble() < 0.4
                ? pick(TRAIN_MOTIONS.get(s.direction()), rnd)
                : pick(TRAIN_VERBS, rnd) + " " + word(TRAIN, s.direction(), rnd);
        String backdrop = rnd.nextDouble() < 0.85 ? word(TRAIN, s.backdrop(), rnd) : null;
        String camera = cameraPhrase(TRAIN, s.camera(), rnd);
        boolean article = rnd.nextBoolean();
        String caption = switch (rnd.nextInt(4)) {
            case 0 -> join(article(article, join(size, hue, noun)), motion, backdrop);
            case 1 -> article(article, join(hue, noun)) + (size == null ? "" : ", " + size + ",") + " "
                    + join(motion, backdrop);
            case 2 -> backdrop == null
                    ? join(article(article, join(size, hue, noun)), motion)
                    : backdrop + ", " + join(article(article, join(size, hue, noun)), motion);
            default -> join(article(article, join(size, hue, noun)), motion);
        };
        return camera == null ? caption : caption + ", " + camera;
    }

    /**
     * A caption from the held-out templates and synonyms, none of which {@link #train} ever uses, e.g. "a scarlet orb
     * gliding leftward across the dunes".
     */
    public static String heldOut(Scene s, Random rnd) {
        Objects.requireNonNull(s, "scene");
        Objects.requireNonNull(rnd, "rnd");
        String noun = word(HELD_OUT, s.shape(), rnd);
        String hue = word(HELD_OUT, s.hue(), rnd);
        String size = rnd.nextDouble() < 0.7 ? word(HELD_OUT, s.size(), rnd) : null;
        String motion = word(HELD_OUT, s.direction(), rnd);
        String backdrop = rnd.nextDouble() < 0.8 ? word(HELD_OUT, s.backdrop(), rnd) : null;
        String camera = cameraPhrase(HELD_OUT, s.camera(), rnd);
        String thing = article(true, join(size, hue, noun));
        String caption = switch (rnd.nextInt(3)) {
            case 0 -> join(thing, motion, backdrop);
            case 1 -> backdrop == null
                    ? join(thing, "is", motion)
                    : backdrop + ", " + join(thing, "is", motion);
            default -> join("watch", thing, motion, backdrop);
        };
        return camera == null ? caption : caption + ", " + camera;
    }

    /**
     * @return the training phrases for one attribute value (a Shape, Hue, Size, Direction, Backdrop or Camera); for a
     *     direction also the whole motion phrases ("climbing")
     */
    public static List<String> trainWords(Enum<?> value) {
        List<String> motions = value instanceof Direction d ? TRAIN_MOTIONS.get(d) : null;
        if (motions == null) {
            return words(TRAIN, value);
        }
        List<String> all = new ArrayList<>(words(TRAIN, value));
        all.addAll(motions);
        return List.copyOf(all);
    }

    /** @return the training verbs of motion ("moving", "sliding", ...) */
    public static List<String> trainVerbs() {
        return TRAIN_VERBS;
    }

    /** @return the held-out phrases for one attribute value (a Shape, Hue, Size, Direction, Backdrop or Camera) */
    public static List<String> heldOutWords(Enum<?> value) {
        return words(HELD_OUT, value);
    }

    private static List<String> words(Map<Enum<?>, List<String>> table, Enum<?> value) {
        List<String> w = table.get(Objects.requireNonNull(value, "value"));
        if (w == null) {
            throw new IllegalArgumentException("not a scene attribute: " + value.getClass().getName() + "." + value);
        }
        return w;
    }

    /** Still cameras are mostly not mentioned, moving ones mostly are. */
    private static String cameraPhrase(Map<Enum<?>, List<String>> table, Camera camera, Random rnd) {
        double mention = camera == Camera.STILL ? 0.3 : 0.85;
        return rnd.nextDouble() < mention ? word(table, camera, rnd) : null;
    }

    private static String word(Map<Enum<?>, List<String>> table, Enum<?> value, Random rnd) {
        return pick(table.get(value), rnd);
    }

    private static String article(boolean use, String phrase) {
        if (!use) {
            return phrase;
        }
        return ("aeiou".indexOf(phrase.charAt(0)) >= 0 ? "an " : "a ") + phrase;
    }

    private static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(p);
            }
        }
        return sb.toString();
    }

    private static <T> T pick(List<T> values, Random rnd) {
        return values.get(rnd.nextInt(values.size()));
    }
}
