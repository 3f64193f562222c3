package org.kinora.cli.internal.panel;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events to every open panel: each connection has a bounded queue; a panel too slow to keep up loses its
 * oldest events (the next one carries the whole job state again), never the server's memory.
 */
final class EventHub {

    private static final int QUEUE = 256;
    private final List<BlockingQueue<String>> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Sends {@code data} as JSON under the event name {@code event} to every subscriber. */
    void publish(String event, Object data) {
        String frame = "event: " + event + "\ndata: " + PanelJson.text(data) + "\n\n";
        for (BlockingQueue<String> q : subscribers) {
            while (!q.offer(frame)) {
                q.poll();
            }
        }
    }

    /** Streams events to one client until it goes away or the server stops; holds the calling thread. */
    void stream(HttpExchange ex, String hello) throws IOException, InterruptedException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        BlockingQueue<String> q = new ArrayBlockingQueue<>(QUEUE);
        subscribers.add(q);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(("retry: 1000\n" + hello).getBytes(StandardCharsets.UTF_8));
            o.flush();
            while (!closed) {
                String frame = q.poll(15, TimeUnit.SECONDS);
                // a comment line now and then finds a client that went away
                o.write((frame == null ? ": keep-alive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                o.flush();
            }
        } finally {
            subscribers.remove(q);
        }
    }

    /** The frame that starts a stream: the current state under {@code event}. */
    static String frame(String event, Object data) {
        return "event: " + event + "\ndata: " + PanelJson.text(data) + "\n\n";
    }

    void close() {
        closed = true;
    }
}
