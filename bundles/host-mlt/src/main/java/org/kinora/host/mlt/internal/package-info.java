/**
 * MLT XML project host (Shotcut {@code .mlt}, Kdenlive {@code .kdenlive} documents 1.04 and 1.1). Private: nothing here
 * is exported; other bundles see it only as an {@link org.kinora.core.host.ProjectHost} service.
 */
package org.kinora.host.mlt.internal;
