package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A {@link TfjsGraph} as a DJL {@link ai.djl.nn.Block}, so it plugs into a DJL {@link ai.djl.Model} and {@link
 * ai.djl.inference.Predictor}: forward runs the graph from its placeholder to the chosen outputs. Inference only (the
 * weights are constants, not DJL parameters).
 */
public final class TfjsBlock extends AbstractBlock {

    private final TfjsGraph graph;
    private final List<String> outputs;
    private volatile Runnable checkpoint = () -> { };

    /** A block producing {@code outputs} (signature keys or graph tensor names) of {@code graph}. */
    public TfjsBlock(TfjsGraph graph, List<String> outputs) {
        this.graph = graph;
        this.outputs = List.copyOf(outputs);
    }

    /** The graph this block runs. */
    public TfjsGraph graph() {
        return graph;
    }

    /**
     * The hook called between ops of the following forwards: the Predictor API has no per-call argument for it, and the
     * block belongs to one worker thread, so the worker sets it before each call.
     */
    public void checkpoint(Runnable checkpoint) {
        this.checkpoint = checkpoint;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (training) {
            throw new UnsupportedOperationException("TF.js graph blocks are inference only");
        }
        return graph.run(inputs.head().getManager(), inputs.head(), outputs, checkpoint);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("output shapes of a TF.js graph are known only by running it");
    }

    @Override
    public void initialize(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        // nothing to initialize: the weights came with the graph
    }

    @Override
    public String toString() {
        return "TfjsBlock(" + graph.file().source().getFileName() + " -> " + outputs + ")";
    }
}
