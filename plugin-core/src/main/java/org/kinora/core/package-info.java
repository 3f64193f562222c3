/**
 * Root of the Kinora API: the exception every API failure derives from.
 */
@Export
@Version("1.0.0")
package org.kinora.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
