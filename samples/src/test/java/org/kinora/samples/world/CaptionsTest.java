package org.kinora.samples.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class CaptionsTest {

    private static final List<Class<? extends Enum<?>>> ATTRIBUTES = List.of(Shape.class, Hue.class, Size.class,
            Direction.class, Backdrop.class, Camera.class);

    @Test
    void heldOutAndTrainingCaptionsShareOnlyFunctionWords() {
        Random rnd = new Random(11);
        Set<String> train = new TreeSet<>();
        Set<String> held = new TreeSet<>();
        for (int i = 0; i < 10_000; i++) {
            Scene s = World.sample(rnd, 1);
            train.addAll(words(Captions.train(s, rnd)));
            held.addAll(words(Captions.heldOut(s, rnd)));
        }
        Set<String> shared = new TreeSet<>(train);
        shared.retainAll(held);
        System.out.println("Captions: " + train.size() + " training words, " + held.size() + " held-out words, shared "
                + shared);
        assertTrue(Captions.SHARED_WORDS.containsAll(shared), "shared words beyond function words: " + shared);
        // Every held-out attribute word, used or not, is absent from 10,000 training captions.
        for (Class<? extends Enum<?>> type : ATTRIBUTES) {
            for (Enum<?> value : type.getEnumConstants()) {
                for (String phrase : Captions.heldOutWords(value)) {
                    for (String w : words(phrase)) {
                        assertTrue(Captions.SHARED_WORDS.contains(w) || !train.contains(w),
                                "held-out word '" + w + "' (" + value + ") appears in training captions");
                    }
                }
            }
        }
    }

    @Test
    void captionsNameTheirSceneAndNoOther() {
        check(Captions::train, Captions::trainWords, 12);
        check(Captions::heldOut, Captions::heldOutWords, 13);
    }

    @Test
    void examples() {
        Random rnd = new Random(14);
        for (int i = 0; i < 6; i++) {
            Scene s = World.sample(rnd, 1);
            String t = Captions.train(s, rnd);
            String h = Captions.heldOut(s, rnd);
            System.out.println("  " + s.shape() + " " + s.hue() + " " + s.size() + " " + s.direction() + " "
                    + s.backdrop() + " " + s.camera() + ": train \"" + t + "\", held out \"" + h + "\"");
            assertFalse(t.isBlank() || h.isBlank() || t.contains("  ") || h.contains("  ") || t.contains(" ,"));
        }
    }

    interface Captioner {
        String caption(Scene s, Random rnd);
    }

    /**
     * Shape, hue and direction are always named, by a phrase of the right value and none of another value; size,
     * backdrop and camera are named often, and every phrase of every value shows up.
     */
    private static void check(Captioner captioner, Function<Enum<?>, List<String>> table, long seed) {
        Random rnd = new Random(seed);
        Map<Enum<?>, Integer> named = new HashMap<>();
        Set<String> phrasesSeen = new HashSet<>();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            Scene s = World.sample(rnd, 1);
            String caption = " " + String.join(" ", words(captioner.caption(s, rnd))) + " ";
            for (Enum<?> value : List.of(s.shape(), s.hue(), s.size(), s.direction(), s.backdrop(), s.camera())) {
                boolean has = false;
                for (String p : table.apply(value)) {
                    if (caption.contains(" " + String.join(" ", words(p)) + " ")) {
                        has = true;
                        phrasesSeen.add(p);
                    }
                }
                if (has) {
                    named.merge(value, 1, Integer::sum);
                }
                if (value instanceof Shape || value instanceof Hue || value instanceof Direction) {
                    assertTrue(has, "'" + caption + "' does not name " + value);
                }
                if (value instanceof Shape || value instanceof Hue || value instanceof Direction
                        || value instanceof Size) {
                    for (Enum<?> other : value.getDeclaringClass().getEnumConstants()) {
                        if (other != value) {
                            for (String p : table.apply(other)) {
                                assertFalse(caption.contains(" " + String.join(" ", words(p)) + " "),
                                        "'" + caption + "' names " + other + " for a " + value + " scene");
                            }
                        }
                    }
                }
            }
        }
        for (Class<? extends Enum<?>> type : ATTRIBUTES) {
            for (Enum<?> value : type.getEnumConstants()) {
                int times = named.getOrDefault(value, 0);
                int expected = n / type.getEnumConstants().length;
                assertTrue(times > expected / 5, value + " named in only " + times + " captions");
                for (String p : table.apply(value)) {
                    assertTrue(phrasesSeen.contains(p), "phrase '" + p + "' never used");
                }
            }
        }
        assertEquals(Set.of(), Stream.of("x").filter(x -> false).collect(Collectors.toSet()));
    }

    static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase().split("[^a-z]+")).filter(w -> !w.isEmpty()).toList();
    }
}
