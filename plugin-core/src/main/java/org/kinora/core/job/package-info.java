/**
 * Jobs: long-running work with an id, a state, progress, cancellation and a result.
 */
@Export
@Version("1.1.0")
package org.kinora.core.job;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
