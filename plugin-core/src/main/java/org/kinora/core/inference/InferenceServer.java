package org.kinora.core.inference;

import com.sun.net.httpserver.HttpHandler;
import java.net.URI;
import java.util.List;

/**
 * Serves the local {@link InferenceService} over the Open Inference Protocol (KServe v2 REST, as Triton and KServe
 * speak it), so other Kinora instances, Triton clients or any HTTP client can run its models. Registered as an OSGi
 * service by the serve bundle; {@code kinora serve} starts it.
 */
public interface InferenceServer {

    /**
     * Starts listening.
     *
     * @param host  the address to bind, e.g. {@code 127.0.0.1}; any address that is not a loopback one needs a token
     * @param port  the TCP port, {@code 0} for any free one
     * @param token the bearer token every request except the health checks must carry, or {@code null} for none
     * @return the running server
     * @throws InferenceException when the address cannot be bound, or a non-loopback address is asked for without a token
     */
    Running start(String host, int port, String token) throws InferenceException;

    /**
     * Starts listening, and answers every request outside the protocol's {@code /v2} with {@code site}, so that one
     * address serves the protocol and a web page beside it ({@code kinora serve}'s panel at {@code /}). The token guards
     * {@code /v2} only: the site makes its own access checks. The site is called on the server's threads, which the
     * protocol's requests need: it should hand its work to threads of its own.
     *
     * @param site the handler of every path outside {@code /v2}, or {@code null} to answer them 404
     * @throws InferenceException as {@link #start(String, int, String)}
     * @throws UnsupportedOperationException when a site is given and this server cannot serve one
     * @since 1.5
     */
    default Running start(String host, int port, String token, HttpHandler site) throws InferenceException {
        if (site != null) {
            throw new UnsupportedOperationException("this inference server cannot serve a site beside the protocol");
        }
        return start(host, port, token);
    }

    /**
     * A client of a server speaking the protocol (another Kinora, or a Triton/KServe fleet): an {@link InferenceService}
     * whose model calls go over HTTP. The runtime uses one as its backend when {@code KINORA_INFERENCE_URL} is set; this
     * makes one on demand (benchmarks, tools).
     *
     * @param base  the server's base address, e.g. {@code http://127.0.0.1:8000} (with or without {@code /v2})
     * @param token the bearer token to send, or {@code null}
     */
    InferenceService client(URI base, String token);

    /** A running server; {@link #close()} stops it (requests in flight are given a moment to finish). */
    interface Running extends AutoCloseable {

        /** The protocol's base address it listens on, e.g. {@code http://127.0.0.1:8000/v2}. */
        URI address();

        /** The models it serves now. */
        List<ModelInfo> models();

        @Override
        void close();
    }
}
