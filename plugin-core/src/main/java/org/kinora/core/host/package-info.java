/**
 * Editor project hosts: open a project, name a clip, place an effect's result non-destructively, save safely.
 */
@Export
@Version("1.1.0")
package org.kinora.core.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
