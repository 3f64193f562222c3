package org.kinora.effect.motionbrush.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed brush file. The format (JSON, UTF-8):
 *
 * <pre>
 * {"brushes": [
 *   {"region": {"polygon": [[x, y], [x, y], [x, y], ...], "feather": 8},
 *    "motion": {"kind": "flow", "direction": [-1, 0], "speed": 30}},
 *   {"region": {"mask": "water-mask.png"}, "cue": "water flowing left"},
 *   {"region": {"polygon": [[...]]}, "static": true}
 * ]}
 * </pre>
 *
 * <ul>
 * <li>{@code brushes}: 1 to {@value BrushFileReader#MAX_BRUSHES} brushes. Later brushes paint over earlier ones: where a
 * later brush's mask is m, the pixel's motion is (1 - m) of what was there plus m of the later brush's. A static brush
 * leaves the motion as it is and holds its region instead (a freeze mask: the still is shown over it, see
 * {@link MotionFields}).</li>
 * <li>A brush has a {@code region} and exactly one of {@code motion}, {@code "static": true} or {@code cue}.</li>
 * <li>{@code region}: {@code polygon}, at least 3 and at most {@value BrushFileReader#MAX_POINTS} points {@code [x, y]} in
 * the still's pixels ({@code 0 <= x <= width}, {@code 0 <= y <= height}; pixel (x, y) spans [x, x+1) x [y, y+1)), or
 * {@code mask}, the path of a grayscale image of the still's exact size (relative to the brush file's folder; white =
 * painted, gray = partly; colour images count by luminance, times alpha where there is alpha). Optional {@code feather}
 * (px, 0 to {@value BrushFileReader#MAX_FEATHER}, default 0): the mask ramps smoothly from 0 at {@code feather} px
 * outside the outline through 0.5 on it to 1 at {@code feather} px inside (pixel centres farther than that are exactly 0
 * or 1).</li>
 * <li>{@code motion}: {@code kind} (flow, sway, ripple, rotate, zoom; default flow) and, by kind:
 *   <ul>
 *   <li>flow: {@code direction} [dx, dy] (any length but not zero; y points down) and {@code speed} (px/s), or a
 *   {@code path} of 2 to {@value BrushFileReader#MAX_POINTS} points in still pixels: the direction is from the path's first
 *   to its last point and the speed is the path's length over the clip's duration (the region travels the path's length
 *   once per clip).</li>
 *   <li>sway: {@code direction} or {@code path} (the axis of the swing), {@code amplitude} (px) or {@code speed} (the
 *   peak speed, px/s: amplitude = speed * period / 2 pi), optional {@code period} (s, default 2).</li>
 *   <li>ripple: optional {@code speed} (how fast the waves travel, px/s, default 30), {@code amplitude} (px, default 2),
 *   {@code period} (s, default 1.5) and {@code direction} (plane waves travelling that way; without it the waves are
 *   circles spreading from the region's centre).</li>
 *   <li>rotate: {@code speed} (px/s at the region's edge, i.e. at the farthest painted pixel from its centre), optional
 *   {@code clockwise} (default true).</li>
 *   <li>zoom: {@code rate} (per second, e.g. 0.1 = grows 10 % a second; negative shrinks) or {@code speed} (outward px/s
 *   at the region's edge).</li>
 *   </ul>
 * A field that does not apply to the kind is an error.</li>
 * <li>{@code cue}: a short text such as "water flowing left"; see {@link Cues} for the words understood.</li>
 * </ul>
 * Speeds and sizes are in the still's pixels; the effect scales them to the output size. When the clip loops, wave
 * periods are rounded so a whole number of periods fits the clip (a seamless loop).
 *
 * @param file    the brush file
 * @param brushes the brushes in file order
 */
public record BrushFile(Path file, List<Brush> brushes) {
    public BrushFile {
        brushes = List.copyOf(brushes);
    }
}
