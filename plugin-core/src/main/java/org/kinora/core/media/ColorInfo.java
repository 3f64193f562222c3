package org.kinora.core.media;

/**
 * Color metadata of a video stream, with FFmpeg's names ({@code bt709}, {@code tv}...). {@code null} fields are unknown
 * and are left unspecified when encoding.
 *
 * @param space     matrix coefficients, e.g. {@code bt709}
 * @param range     {@code tv} (limited) or {@code pc} (full)
 * @param primaries color primaries, e.g. {@code bt709}
 * @param transfer  transfer characteristics, e.g. {@code bt709}
 */
public record ColorInfo(String space, String range, String primaries, String transfer) {
    /** Nothing known. */
    public static final ColorInfo UNKNOWN = new ColorInfo(null, null, null, null);
}
