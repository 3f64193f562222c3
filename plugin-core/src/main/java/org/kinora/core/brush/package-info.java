/**
 * Motion brush files, as the {@code motion-brush} effect reads them (the format is documented in
 * {@code samples/motion-brush/README.md}): what a file makes a still do, for tools that paint brushes (the web panel)
 * and want to show the motion before a render. Implemented by the motion-brush bundle ({@link MotionBrushes}).
 */
@Export
@Version("1.0.0")
package org.kinora.core.brush;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
