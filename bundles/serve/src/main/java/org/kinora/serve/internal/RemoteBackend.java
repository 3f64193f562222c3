package org.kinora.serve.internal;

import java.net.URI;
import java.util.Hashtable;
import java.util.logging.Logger;
import org.kinora.core.inference.InferenceService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers a {@link RemoteInferenceService} when the runtime is told to send its model calls to a server: system
 * property {@code kinora.inference.url} or environment variable {@code KINORA_INFERENCE_URL} (token from
 * {@code kinora.inference.token} / {@code KINORA_INFERENCE_TOKEN}). It is registered with a high
 * {@code service.ranking} and {@code kinora.inference.backend=remote}, so every consumer of
 * {@link InferenceService} picks it over the local one; the server ({@code kinora serve}) keeps serving the local one.
 * Tensors go as binary data when the server takes it; {@code kinora.inference.binary=false} /
 * {@code KINORA_INFERENCE_BINARY=false} keeps them in JSON.
 */
@Component(immediate = true, service = {})
public final class RemoteBackend {

    private static final Logger LOG = Logger.getLogger(RemoteBackend.class.getName());

    /** Ranking above the local service's default 0. */
    static final int RANKING = 1000;

    private final RemoteInferenceService remote;
    private final ServiceRegistration<InferenceService> registration;

    @Activate
    public RemoteBackend(BundleContext context) {
        String url = setting("kinora.inference.url", "KINORA_INFERENCE_URL");
        RemoteInferenceService r = null;
        ServiceRegistration<InferenceService> reg = null;
        if (url != null) {
            try {
                r = new RemoteInferenceService(URI.create(url), setting("kinora.inference.token", "KINORA_INFERENCE_TOKEN"));
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(Constants.SERVICE_RANKING, RANKING);
                props.put("kinora.inference.backend", "remote");
                props.put("kinora.inference.url", r.url());
                reg = context.registerService(InferenceService.class, r, props);
            } catch (IllegalArgumentException e) {
                LOG.severe("kinora.inference.url / KINORA_INFERENCE_URL: " + e.getMessage() + "; model calls stay local");
            }
        }
        this.remote = r;
        this.registration = reg;
    }

    @Deactivate
    void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        if (remote != null) {
            remote.close();
        }
    }

    /** A system property, else the environment variable; blank counts as unset. */
    static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.strip();
    }
}
