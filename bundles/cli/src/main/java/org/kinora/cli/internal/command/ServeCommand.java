package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.panel.PanelApi;
import org.kinora.cli.internal.panel.PanelServer;
import org.kinora.cli.internal.panel.WebFiles;
import org.kinora.core.KinoraException;
import org.kinora.core.inference.InferenceServer;
import org.kinora.core.inference.ModelInfo;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinora serve}: serves this machine's inference service over the Open Inference Protocol until Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve the web panel and this machine's models. Runs until Ctrl-C.",
                "The panel (http://HOST:PORT/, default http://127.0.0.1:8000/) is a web page to keep open beside Shotcut or"
                        + " Kdenlive: open a project, pick a clip on its timeline, pick an effect and set its parameters (checked as"
                        + " you type), preview a frame before/after, queue renders and watch their progress, apply a result to the"
                        + " project (the same code as 'kinora apply': atomic write, backup) and undo it.",
                "The models are served over the Open Inference Protocol (KServe v2 REST, as Triton and KServe speak it) under"
                        + " /v2 of the same address, so other Kinora installations, Triton clients or any HTTP client can run them."},
        footer = {"", "Panel (under http://HOST:PORT): the page at /, its JSON API under /api/ (effects and their parameter"
                        + " declarations, the open project's timeline, jobs; job progress as server-sent events at /api/events),"
                        + " and the thumbnails, previews and results it made under /media/. It serves nothing else of the disk, and"
                        + " answers only to requests that name it (Host) and, for changes, come from its own page (Origin).",
                "", "Inference endpoints (under http://HOST:PORT):",
                "  GET  /v2                      server metadata (name, version, extensions)",
                "  GET  /v2/health/live          liveness (never needs the token)",
                "  GET  /v2/health/ready         readiness (never needs the token)",
                "  POST /v2/repository/index     the models served (Triton's repository ext.)",
                "  GET  /v2/models/ID            model metadata: platform, inputs and outputs",
                "                                [{name, datatype, shape}] (also /versions/1)",
                "  GET  /v2/models/ID/ready      whether the model is ready",
                "  POST /v2/models/ID/infer      run it: {\"inputs\": [{\"name\", \"shape\",",
                "                                \"datatype\", \"data\"}], \"parameters\": {...}}",
                "                                -> {\"model_name\", \"id\", \"outputs\": [...]}",
                "Tensor data is JSON (flat row-major or nested arrays; strings for BYTES). Request parameters go to the model,"
                        + " except \"priority\" (\"interactive\" or \"batch\") and \"job_id\". Errors are {\"error\": \"...\"} with"
                        + " 400 (bad request or tensors), 401 (token), 404 (unknown model or path), 413 (body too large),"
                        + " 503 (busy: retry), 500 (the model failed).",
                "",
                "Listening on an address other than loopback needs a token; every request except the health checks must then"
                        + " carry 'Authorization: Bearer <token>' (the panel: open http://HOST:PORT/?token=<token> once; the"
                        + " browser keeps it in a cookie). Prefer KINORA_TOKEN to --token: a command line is visible to"
                        + " other users of the machine.",
                "",
                "Remote backend: to send a Kinora installation's model calls to such a server (this one, Triton or KServe),"
                        + " start it with KINORA_INFERENCE_URL=http://HOST:PORT (or -Dkinora.inference.url=...) and, when the"
                        + " server wants one, KINORA_INFERENCE_TOKEN (or -Dkinora.inference.token=...). 'kinora serve' itself"
                        + " always serves the local models.",
                "",
                "Examples:",
                "  kinora serve                  # then open http://127.0.0.1:8000/ in a browser",
                "  KINORA_TOKEN=$(openssl rand -hex 16) kinora serve --host 0.0.0.0 --port 8000",
                "  curl -s localhost:8000/v2/models/style-cartoon"})
public final class ServeCommand implements Callable<Integer> {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: 127.0.0.1, this machine only). Any other address needs a token.")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8000", description = "TCP port (default: 8000; 0 = any free port).")
    int port;

    @Option(names = "--no-panel", description = "Serve only the models, not the web panel.")
    boolean noPanel;

    @Option(names = "--token", paramLabel = "T",
            description = "Bearer token clients must send (default: the KINORA_TOKEN environment variable; none on loopback).")
    String token;

    public ServeCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InferenceServer server = services.server();
        if (server == null) {
            throw new KinoraException("the inference server is not available: the org.kinora.serve bundle or the local inference"
                    + " service did not start");
        }
        String t = token != null ? token : System.getenv("KINORA_TOKEN");
        PanelServer panel = noPanel ? null : PanelServer.create(t, WebFiles.installed(), new PanelApi(services,
                PanelApi.defaultConfigDir()));
        InferenceServer.Running started = null;
        try {
            started = server.start(host, port, t, panel == null ? null : panel.handler());
            if (panel != null) {
                panel.listening(started.address());
            }
        } catch (KinoraException | RuntimeException e) {
            if (started != null) {
                started.close();
            }
            if (panel != null) {
                // the API's queue thread and scratch folder belong to a panel that never served
                panel.close();
            }
            throw e;
        }
        InferenceServer.Running running = started;
        PanelServer shownPanel = panel;
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (shownPanel != null) {
                shownPanel.close();
            }
            running.close();
            err.println("kinora: stopped serving");
            err.flush();
            stopped.countDown();
        }, "kinora-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        var models = running.models();
        out.printf("serving %d models on %s (%s)%n", models.size(), running.address(),
                String.join(", ", models.stream().map(ModelInfo::id).toList()));
        if (panel != null) {
            out.printf("panel: %s%s%n", panel.address(), panel.needsToken() ? " (open " + panel.address() + "?token=<token> once)" : "");
        }
        out.println(t == null || t.isBlank() ? "no token: only this machine can connect" : "clients must send 'Authorization: Bearer <token>'");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        // Ctrl-C runs the hook, which closes the server; the JVM then exits with 130 as the other commands do
        stopped.await();
        return 130;
    }
}
