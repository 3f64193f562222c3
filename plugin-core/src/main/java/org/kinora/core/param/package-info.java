/**
 * Effect parameters declared once (name, type, range, default, help) and validated from user text.
 */
@Export
@Version("1.0.1")
package org.kinora.core.param;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
