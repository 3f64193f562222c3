/**
 * The JavaCV/FFmpeg implementation of {@link org.kinora.core.media.MediaService}. Private to the media bundle: no JavaCV
 * type leaves it, so the native libraries have exactly one owner in the JVM.
 */
package org.kinora.media.internal;
