/**
 * The effect contract: an effect declares its parameters and renders frames inside a job.
 */
@Export
@Version("1.3.0")
package org.kinora.core.effect;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
