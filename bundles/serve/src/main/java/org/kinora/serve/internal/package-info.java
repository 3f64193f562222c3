/**
 * The Open Inference Protocol (KServe v2 REST) for the shared inference service: a server ({@code kinora serve}) and a
 * remote backend that sends a runtime's model calls to such a server.
 */
package org.kinora.serve.internal;
