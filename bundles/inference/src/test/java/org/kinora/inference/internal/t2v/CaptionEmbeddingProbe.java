package org.kinora.inference.internal.t2v;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.kinora.inference.internal.onnx.SentenceEncoder;
import org.kinora.samples.world.Captions;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.World;

/**
 * A developer's look at what the text encoder leaves for the denoiser: how well a scene attribute can be read back
 * from MiniLM's pooled sentence embedding at all. A centroid classifier (the mean embedding of 600 training captions
 * per value, centred, nearest by cosine) is fitted on training captions and tried on 300 held-out ones. What it gets
 * wrong on held-out wording no denoiser conditioned on that one vector can be expected to get right.
 */
public final class CaptionEmbeddingProbe {

    public static void main(String[] args) throws Exception {
        Path minilm = Probes.MINILM;
        Map<String, Function<Scene, Object>> attributes = Map.of("colour", Scene::hue, "shape", Scene::shape, "direction",
                Scene::direction, "backdrop", Scene::backdrop);
        try (SentenceEncoder enc = SentenceEncoder.open(minilm)) {
            Random rnd = new Random(5);
            List<Scene> trainScenes = new ArrayList<>();
            List<float[]> train = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                Scene s = World.sample(rnd, 1);
                trainScenes.add(s);
                train.add(enc.embed(Captions.train(s, rnd)));
            }
            List<Scene> heldScenes = new ArrayList<>();
            List<float[]> held = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Scene s = World.sample(rnd, 1);
                heldScenes.add(s);
                held.add(enc.embed(Captions.heldOut(s, rnd)));
            }
            for (var a : new java.util.TreeMap<>(attributes).entrySet()) {
                Map<Object, double[]> centroids = centroids(trainScenes, train, a.getValue());
                double onTrain = accuracy(centroids, trainScenes.subList(0, 300), train.subList(0, 300), a.getValue());
                double onHeld = accuracy(centroids, heldScenes, held, a.getValue());
                System.out.printf(Locale.ROOT, "%s: read back from the pooled embedding of training captions %.2f, of held-out captions"
                        + " %.2f (chance %.2f)%n", a.getKey(), onTrain, onHeld, 1.0 / (centroids.size() - 1));
            }
        }
    }

    /** Mean embedding per attribute value, less the mean over all values. */
    private static Map<Object, double[]> centroids(List<Scene> scenes, List<float[]> emb, Function<Scene, Object> attr) {
        Map<Object, double[]> sum = new HashMap<>();
        Map<Object, Integer> count = new HashMap<>();
        int e = emb.get(0).length;
        for (int i = 0; i < scenes.size(); i++) {
            double[] c = sum.computeIfAbsent(attr.apply(scenes.get(i)), k -> new double[e]);
            for (int j = 0; j < e; j++) {
                c[j] += emb.get(i)[j];
            }
            count.merge(attr.apply(scenes.get(i)), 1, Integer::sum);
        }
        double[] mean = new double[e];
        for (var k : sum.keySet()) {
            for (int j = 0; j < e; j++) {
                sum.get(k)[j] /= count.get(k);
                mean[j] += sum.get(k)[j] / sum.size();
            }
        }
        for (double[] c : sum.values()) {
            for (int j = 0; j < e; j++) {
                c[j] -= mean[j];
            }
        }
        sum.put("mean", mean);
        return sum;
    }

    private static double accuracy(Map<Object, double[]> centroids, List<Scene> scenes, List<float[]> emb, Function<Scene, Object> attr) {
        double[] mean = centroids.get("mean");
        int ok = 0;
        for (int i = 0; i < scenes.size(); i++) {
            float[] x = emb.get(i);
            Object best = null;
            double bestCos = -2;
            for (var c : centroids.entrySet()) {
                if ("mean".equals(c.getKey())) {
                    continue;
                }
                double dot = 0;
                double nc = 0;
                double nx = 0;
                for (int j = 0; j < x.length; j++) {
                    double xj = x[j] - mean[j];
                    dot += c.getValue()[j] * xj;
                    nc += c.getValue()[j] * c.getValue()[j];
                    nx += xj * xj;
                }
                double cos = dot / Math.sqrt(nc * nx);
                if (cos > bestCos) {
                    bestCos = cos;
                    best = c.getKey();
                }
            }
            ok += attr.apply(scenes.get(i)).equals(best) ? 1 : 0;
        }
        return ok / (double) scenes.size();
    }
}
