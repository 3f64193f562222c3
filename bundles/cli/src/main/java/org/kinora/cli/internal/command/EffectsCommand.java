package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.util.List;

import org.kinora.cli.internal.Services;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectInfo;
import org.kinora.core.param.ParameterSpec;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kinora effects}: every installed effect with its declared parameters. */
@Command(name = "effects", mixinStandardHelpOptions = true,
        description = "List the installed effects and their parameters (name, type, range, default, help), as the running effect services declare them.")
public final class EffectsCommand implements Runnable {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public EffectsCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<Effect> all = services.effects().all();
        if (all.isEmpty()) {
            out.println("No effects are installed.");
            return;
        }
        for (Effect e : all) {
            out.print(describe(e.info()));
            out.println();
        }
    }

    /** The effect's block of text as {@code kinora effects} prints it. */
    public static String describe(EffectInfo info) {
        StringBuilder b = new StringBuilder();
        b.append(info.id()).append(" - ").append(info.title()).append('\n');
        b.append("  ").append(info.description()).append('\n');
        b.append("  input: ").append(info.input().name().toLowerCase()).append('\n');
        if (info.parameters().isEmpty()) {
            b.append("  parameters: none\n");
            return b.toString();
        }
        b.append("  parameters:\n");
        int nw = 4;
        int rw = 5;
        for (ParameterSpec p : info.parameters()) {
            nw = Math.max(nw, p.name().length());
            rw = Math.max(rw, p.rangeText().length());
        }
        b.append(String.format("    %-" + nw + "s  %-7s  %-" + rw + "s  %-9s  %s%n", "NAME", "TYPE", "RANGE", "DEFAULT", "HELP"));
        for (ParameterSpec p : info.parameters()) {
            b.append(String.format("    %-" + nw + "s  %-7s  %-" + rw + "s  %-9s  %s%n", p.name(), p.type().name().toLowerCase(),
                    p.rangeText(), String.valueOf(p.defaultValue()), p.help()));
        }
        return b.toString();
    }
}
