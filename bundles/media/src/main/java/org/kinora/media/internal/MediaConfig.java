package org.kinora.media.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the media service (PID {@code org.kinora.media}). */
@ObjectClassDefinition(name = "Kinora media", description = "Decoding and encoding with FFmpeg")
public @interface MediaConfig {

    @AttributeDefinition(name = "Decode queue", description = "Frames decoded ahead of the consumer (memory per open source)",
            min = "1", max = "64")
    int decodeQueue() default MediaServiceImpl.DEFAULT_QUEUE;

    @AttributeDefinition(name = "Encode queue", description = "Frames waiting for the encoder before write() blocks",
            min = "1", max = "64")
    int encodeQueue() default MediaServiceImpl.DEFAULT_QUEUE;

    @AttributeDefinition(name = "Native cache", description = "Where JavaCPP extracts the FFmpeg libraries when the "
            + "org.bytedeco.javacpp.cachedir system property is not set (a set property always wins); empty for "
            + "~/.cache/kinora/javacpp (or $XDG_CACHE_HOME/kinora/javacpp)")
    String javacppCacheDir() default "";
}
