/**
 * The shared inference service contract: tensors in, tensors out, on the best device, cancellable by job.
 */
@Export
@Version("1.5.0")
package org.kinora.core.inference;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
