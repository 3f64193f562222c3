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
     * Puts new media (not made from a clip: generated) on a new video track above all others, starting at timeline frame
     * {@code atFrame} (blank before it), with provenance as {@code kinora:*} properties; the timeline grows when the media
     * ends after it. The existing tracks and clips are left as they were.
     *
     * <p>The default refuses: a host that cannot add tracks says so by name. Hosts that can override it.
     *
     * @param media      the rendered media, at the project's size and rate
     * @param atFrame    the timeline frame the media starts at, 0 or more (past the end is allowed: blank fills the gap)
     * @param provenance what made it, written as {@code kinora:*} properties
     * @throws ProjectException when {@code atFrame} is negative, the media is missing or empty, or the host cannot insert
     * @since 1.1
     */
    default void insert(ResultMedia media, long atFrame, Provenance provenance) throws ProjectException {
        throw new ProjectException(format() + " projects cannot take new media on a new track (" + file() + ")");
    }

    /**
     * Writes the project atomically (temporary file and rename). When {@code target} is the file it was read from, the
     * previous content is kept as a backup beside it first; when that file changed on disk since it was read, nothing is
     * written and a {@link ProjectException} says so.
     *
     * @return the file written
     */
    Path save(Path target) throws ProjectException;
}
