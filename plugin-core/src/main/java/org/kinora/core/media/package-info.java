/**
 * Media handles: probing, streaming decode of a frame range, streaming encode, and optical flow between frames, and inpainting.
 * Implemented by the media bundle.
 */
@Export
@Version("1.2.0")
package org.kinora.core.media;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
