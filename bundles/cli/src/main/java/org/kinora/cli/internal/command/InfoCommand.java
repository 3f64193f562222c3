package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Track;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kinora info}: a project's profile, tracks and clips with the references {@code apply --clip} takes. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a Shotcut or Kdenlive project's profile, tracks and clips, with the TRACK:N reference of each clip.")
public final class InfoCommand implements Callable<Integer> {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROJECT", description = "The .mlt or .kdenlive project file.")
    Path project;

    public InfoCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        ProjectDocument doc = new ApplyRunner(services.effects(), services.hosts(), services.media()).open(project);
        PrintWriter out = spec.commandLine().getOut();
        Profile p = doc.timeline().profile();
        out.printf("%s (%s)%n", doc.file(), doc.format());
        out.printf("profile: %dx%d at %s fps (%.3f), %d frames%n", p.width(), p.height(), p.frameRate(), p.frameRate().fps(),
                doc.timeline().length());
        for (Track t : doc.timeline().tracks()) {
            out.printf("%s (%s, %d clips)%n", t.name(), t.kind().name().toLowerCase(), t.clips().size());
            for (Clip c : t.clips()) {
                out.printf("  %-6s at %6d  in %6d  out %6d  (%d frames)  %-6s %s  [%s]%n", c.ref(), c.position(), c.in(), c.out(),
                        c.length(), c.kind().name().toLowerCase(), c.resource() == null ? "-" : c.resource(), c.producerId());
            }
        }
        return 0;
    }
}
