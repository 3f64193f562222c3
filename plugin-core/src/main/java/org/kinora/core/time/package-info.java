/**
 * Frame-exact time: rational frame rates and frame arithmetic.
 */
@Export
@Version("1.0.0")
package org.kinora.core.time;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
