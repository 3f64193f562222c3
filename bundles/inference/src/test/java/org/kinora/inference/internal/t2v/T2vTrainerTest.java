package org.kinora.inference.internal.t2v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.inference.internal.TestModels;

/**
 * The trainer behind {@code kinora train-generate}, on a tiny net: it learns (the loss falls), it writes weights, and its
 * timesteps follow the recipe's logit-normal location, one per clip or, for about half the clips, one per frame group.
 */
class T2vTrainerTest {

    @TempDir
    Path dir;

    @Test
    void aShortRunLowersTheLossAndWritesItsWeights() throws Exception {
        T2vTrainer.Recipe recipe = new T2vTrainer.Recipe(60, 7, 4, 2e-3, 5, new Dit.Config(32, 1, 2, 384), 0.3, 0.4, 8, 0.3, 10);
        Path params = dir.resolve("tiny.params");
        List<T2vTrainer.Row> curve = T2vTrainer.train(recipe, TestModels.folder("minilm-l6-v2"), params, row -> { });
        assertEquals(70, curve.size(), "60 steps, then 10 of polish");
        assertEquals(61, curve.get(60).step(), "the polish's steps are numbered on");
        double first = curve.subList(0, 10).stream().mapToDouble(T2vTrainer.Row::loss).average().orElseThrow();
        double last = curve.subList(40, 60).stream().mapToDouble(T2vTrainer.Row::loss).average().orElseThrow();
        assertTrue(last < 0.6 * first, "loss " + first + " over the first 10 steps, " + last + " over the last 20");
        Path base = dir.resolve("tiny-base.params");
        assertTrue(Files.size(params) > 10_000 && Files.size(base) > 10_000, "weights written, and those before the polish");
        assertFalse(Arrays.equals(Files.readAllBytes(base), Files.readAllBytes(params)), "the polish changed the weights");
    }

    @Test
    void timestepsLeanTowardsNoiseAsTheRecipeSays() {
        double centred = meanTime(0);
        double noisy = meanTime(0.3);
        assertEquals(0.5, centred, 0.02, "logit-normal(0, 1) is centred on t = 0.5");
        assertTrue(noisy > centred + 0.04, "logit-normal(0.3, 1): mean t " + noisy);
    }

    private static double meanTime(double location) {
        Random rnd = new Random(1);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 400; i++) {
            for (float t : T2vTrainer.StepPlan.draw(rnd, 8, location, 0.3).times()) {
                sum += t;
                n++;
            }
        }
        return sum / n;
    }
}
