package org.kinora.inference.internal;

import java.util.List;
import java.util.Optional;

/**
 * Where the service finds its models: the built-in algorithms plus the verified models of the model store. Looked up
 * per request, so a model fetched or added while the service runs is found without a restart.
 */
public interface ModelCatalog {

    /** Every model that can run now. */
    List<Model> all();

    /** The model of that id. */
    Optional<Model> find(String id);
}
