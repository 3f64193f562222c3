/**
 * A procedurally rendered, captioned video world: one object (shape, hue, size) moving in a direction over a backdrop,
 * with a still, panning or zooming camera. Kinora's built-in text-to-video model trains on it ({@link
 * org.kinora.samples.world.World} renders, {@link org.kinora.samples.world.Captions} describes) and its prompt-adherence
 * tests read generated clips back with {@link org.kinora.samples.world.ClipScorer}.
 */
@Export
@Version("1.0.0")
package org.kinora.samples.world;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
