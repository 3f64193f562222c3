package org.kinora.core.host;

import java.nio.file.Path;

import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Timeline;

/**
 * An open project. Edits are made in memory; nothing touches the disk until {@link #save(Path)}.
 * Everything in the file the host does not understand is kept as it was.
 */
public interface ProjectDocument {

    /** The file this document was read from, absolute. */
    Path file();

    /** The concrete format, e.g. {@code shotcut}, {@code kdenlive-1.04}, {@code kdenlive-1.1}. */
    String format();

    /** The timeline as it is now (after any placements). */
    Timeline timeline();

    /**
     * Finds a clip by {@code TRACK:N} (e.g. {@code V1:3}, the third clip on video track V1) or by producer id.
     *
     * @throws ProjectException when no clip matches; the message names the reference and lists what exists
     */
    Clip clip(String ref) throws ProjectException;

    /**
     * Puts an effect's result into the project for {@code clip}.
     *
     * @param clip       a clip of this document's timeline
     * @param media      the rendered media; for {@link PlacementMode#REPLACE} it must have exactly {@code clip.length()} frames
     * @param provenance what made it, written as {@code kinora:*} properties
     * @param mode       replace the clip's entry or overlay on a new track
     * @throws ProjectException when the clip is not in this document or the media does not fit
     */
    void place(Clip clip, ResultMedia media, Provenance provenance, PlacementMode mode) throws ProjectException;

    /**
     * Writes the project atomically (temporary file and rename). When {@code target} is the file it was read from, the
     * previous content is kept as a backup beside it first; when that file changed on disk since it was read, nothing is
     * written and a {@link ProjectException} says so.
     *
     * @return the file written
     */
    Path save(Path target) throws ProjectException;
}
