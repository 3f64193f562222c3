package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

/** The trainers' guard against a non-finite step. */
class GradientsTest {

    /**
     * After a skipped step the gradients are really zero again: DJL's zeroing (a gradient minus itself) would keep a NaN,
     * and every later step would be skipped too.
     */
    @Test
    void aNonFiniteGradientIsClearedSoTheNextStepsCanLearn() throws Exception {
        try (Model model = Model.newInstance("clear", Device.cpu(), "PyTorch")) {
            Linear layer = Linear.builder().setUnits(2).build();
            model.setBlock(layer);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(
                    Loss.l2Loss()).optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(new Shape(1, 3));
                NDManager m = trainer.getManager();
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray y = trainer.forward(new NDList(m.create(new float[] {1, Float.NaN, 2},
                            new Shape(1, 3)))).singletonOrThrow();
                    gc.backward(y.sum());
                }
                assertTrue(!Gradients.finite(layer), "the NaN input gives NaN gradients");
                Gradients.clear(layer);
                for (var p : layer.getParameters()) {
                    float[] g = p.getValue().getArray().getGradient().toFloatArray();
                    for (float v : g) {
                        assertEquals(0f, v, p.getKey() + " gradient cleared");
                    }
                }
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray y = trainer.forward(new NDList(m.create(new float[] {1, 1, 2},
                            new Shape(1, 3)))).singletonOrThrow();
                    gc.backward(y.sum());
                }
                assertTrue(Gradients.finite(layer), "the next finite step is finite again");
            }
        }
    }
}
