package org.kinora.serve.internal;

import java.net.URI;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceServer;
import org.kinora.core.inference.InferenceService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link InferenceServer} service: serves this runtime's own (local) inference service, never a remote backend,
 * so a server cannot be pointed at itself.
 */
@Component(service = InferenceServer.class)
@Designate(ocd = InferenceServerComponent.Config.class)
public final class InferenceServerComponent implements InferenceServer {

    /** Typed configuration (PID {@code org.kinora.serve.internal.InferenceServerComponent}). */
    @ObjectClassDefinition(name = "Kinora inference server", description = "Bounds of the Open Inference Protocol server.")
    public @interface Config {

        @AttributeDefinition(name = "Requests in flight", description = "Inference requests read and run at once.")
        int max_in_flight() default 4;

        @AttributeDefinition(name = "Requests waiting", description = "Inference requests waiting for a slot; more are answered 503.")
        int max_waiting() default 64;

        @AttributeDefinition(name = "Largest body", description = "Largest inference request body in bytes; larger ones are answered 413.")
        long max_body_bytes() default 256L << 20;
    }

    private final InferenceService local;
    private final OipServer.Limits limits;
    private final List<OipServer> running = new CopyOnWriteArrayList<>();

    @Activate
    public InferenceServerComponent(@Reference(target = "(kinora.inference.backend=local)") InferenceService local, Config config) {
        this(local, new OipServer.Limits(config.max_in_flight(), config.max_waiting(), config.max_body_bytes()));
    }

    InferenceServerComponent(InferenceService local, OipServer.Limits limits) {
        this.local = local;
        this.limits = limits;
    }

    @Override
    public InferenceService client(URI base, String token) {
        return new RemoteInferenceService(base, token);
    }

    @Override
    public Running start(String host, int port, String token) throws InferenceException {
        return start(host, port, token, null);
    }

    @Override
    public Running start(String host, int port, String token, com.sun.net.httpserver.HttpHandler site) throws InferenceException {
        OipServer s = OipServer.start(local, limits, host, port, token, true, site);
        running.add(s);
        return new Running() {
            @Override
            public java.net.URI address() {
                return s.address();
            }

            @Override
            public List<org.kinora.core.inference.ModelInfo> models() {
                return s.models();
            }

            @Override
            public void close() {
                running.remove(s);
                s.close();
            }
        };
    }

    @Deactivate
    void stop() {
        for (OipServer s : running) {
            s.close();
        }
        running.clear();
    }
}
