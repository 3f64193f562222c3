/**
 * The timeline model a host project exposes: profile, tracks and clips, in frames at the project's rate.
 */
@Export
@Version("1.0.0")
package org.kinora.core.timeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
