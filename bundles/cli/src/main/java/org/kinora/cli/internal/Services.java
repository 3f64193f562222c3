package org.kinora.cli.internal;

import java.util.List;

import org.kinora.core.brush.MotionBrushes;
import org.kinora.core.host.ProjectHost;
import org.kinora.core.inference.InferenceServer;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelStore;
import org.kinora.core.media.MediaService;
import org.kinora.core.pose.PoseTracks;

/**
 * The OSGi services the commands work with.
 *
 * @param effects   registered effects
 * @param hosts     project hosts
 * @param media     the media service
 * @param inference the inference service (a remote backend when one is configured)
 * @param models    the model store
 * @param server    the Open Inference Protocol server for the local inference service, or null when the serve bundle is
 *                  not running
 * @param poseTracks pose track reading, writing and extraction, or null when the pose-animate bundle is not running
 * @param motionBrushes what brush files make a still do, or null when the motion-brush bundle is not running
 */
public record Services(EffectRegistry effects, List<ProjectHost> hosts, MediaService media, InferenceService inference,
                       ModelStore models, InferenceServer server, PoseTracks poseTracks, MotionBrushes motionBrushes) {

    /** The services without pose tracks and brushes. */
    public Services(EffectRegistry effects, List<ProjectHost> hosts, MediaService media, InferenceService inference,
            ModelStore models, InferenceServer server) {
        this(effects, hosts, media, inference, models, server, null, null);
    }

    /** The services without brushes. */
    public Services(EffectRegistry effects, List<ProjectHost> hosts, MediaService media, InferenceService inference,
            ModelStore models, InferenceServer server, PoseTracks poseTracks) {
        this(effects, hosts, media, inference, models, server, poseTracks, null);
    }
}
