/**
 * Sample media and projects made by Kinora's own code: procedurally drawn clips with a generated audio track and a
 * Shotcut project that uses them. The demo and the integration tests start from these.
 */
@Export
@Version("1.0.0")
package org.kinora.samples;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
