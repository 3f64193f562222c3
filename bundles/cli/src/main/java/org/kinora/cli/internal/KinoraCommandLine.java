package org.kinora.cli.internal;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.kinora.cli.internal.command.RootCommand;
import org.kinora.core.effect.Effect;
import org.kinora.core.host.ProjectHost;
import org.kinora.core.inference.InferenceServer;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelStore;
import org.kinora.core.media.MediaService;
import org.kinora.core.brush.MotionBrushes;
import org.kinora.core.pose.PoseTracks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code kinora} command line as a service the launcher calls: a {@code Function<String[], Integer>} from arguments to
 * exit code, published with {@code kinora.cli=main}. A JDK interface keeps the launcher free of Kinora classes, so the
 * launcher's class path and the framework's class spaces never meet.
 */
@Component(service = Function.class, property = "kinora.cli=main")
public final class KinoraCommandLine implements Function<String[], Integer> {

    private final EffectRegistry effects = new EffectRegistry();
    private final List<ProjectHost> hosts = new CopyOnWriteArrayList<>();
    private final MediaService media;
    private final InferenceService inference;
    private final ModelStore models;
    private volatile InferenceServer server;
    private volatile PoseTracks poseTracks;
    private volatile MotionBrushes motionBrushes;

    @Activate
    public KinoraCommandLine(@Reference MediaService media, @Reference InferenceService inference, @Reference ModelStore models) {
        this.media = media;
        this.inference = inference;
        this.models = models;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEffect(Effect effect, Map<String, Object> properties) {
        effects.add(effect, properties);
    }

    void removeEffect(Effect effect, Map<String, Object> properties) {
        effects.remove(effect, properties);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setServer(InferenceServer s) {
        server = s;
    }

    void unsetServer(InferenceServer s) {
        if (server == s) {
            server = null;
        }
    }

    /** Optional: {@code kinora pose} says so when the pose-animate bundle is not running. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setPoseTracks(PoseTracks p) {
        poseTracks = p;
    }

    void unsetPoseTracks(PoseTracks p) {
        if (poseTracks == p) {
            poseTracks = null;
        }
    }

    /** Optional: the panel's brush painter shows the brushes' motion when the motion-brush bundle is running. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setMotionBrushes(MotionBrushes b) {
        motionBrushes = b;
    }

    void unsetMotionBrushes(MotionBrushes b) {
        if (motionBrushes == b) {
            motionBrushes = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHost(ProjectHost host) {
        hosts.add(host);
    }

    void removeHost(ProjectHost host) {
        hosts.remove(host);
    }

    @Override
    public Integer apply(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return RootCommand.run(new Services(effects, hosts, media, inference, models, server, poseTracks, motionBrushes), args, out, err);
    }
}
