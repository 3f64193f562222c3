/**
 * Media handles: probing, streaming decode of a frame range and streaming encode. Implemented by the media bundle.
 */
@Export
@Version("1.0.0")
package org.kinora.core.media;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
