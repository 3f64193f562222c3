package org.kinora.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.kinora.core.time.FrameRate;

/**
 * Writes a Shotcut project (the layout Shotcut 22.12 saves: a {@code background} track, a {@code main_bin} playlist,
 * one chain per timeline entry, {@code mix} and {@code frei0r.cairoblend} transitions) with the given clips one after
 * another on video track V1, and an empty audio track A1. Resources are written relative to the project's folder.
 * Stream indexes are left out: MLT then picks each file's best video and audio streams (Shotcut writes the ones it
 * found on its next save), where fixed indexes would hide the picture of a file whose first stream is audio.
 */
public final class ShotcutSampleProject {

    /**
     * A clip to place.
     *
     * @param file   the media file
     * @param frames its length in frames at the project rate
     */
    public record Item(Path file, long frames) {
    }

    private ShotcutSampleProject() {
    }

    /** Writes the project file and returns it. */
    public static Path write(Path project, int width, int height, FrameRate rate, List<Item> items) throws IOException {
        Path dir = project.toAbsolutePath().getParent();
        long total = items.stream().mapToLong(Item::frames).sum();
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" standalone=\"no\"?>\n");
        x.append("<mlt LC_NUMERIC=\"C\" version=\"7.12.0\" title=\"Shotcut version 22.12.21\" producer=\"main_bin\">\n");
        x.append("  <profile description=\"Kinora sample\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" progressive=\"1\" sample_aspect_num=\"1\" sample_aspect_den=\"1\" display_aspect_num=\"").append(width)
                .append("\" display_aspect_den=\"").append(height).append("\" frame_rate_num=\"").append(rate.numerator())
                .append("\" frame_rate_den=\"").append(rate.denominator()).append("\" colorspace=\"709\"/>\n");
        for (int i = 0; i < items.size(); i++) {
            chain(x, "chain" + i, dir, items.get(i));
        }
        x.append("  <playlist id=\"main_bin\">\n    <property name=\"xml_retain\">1</property>\n");
        for (int i = 0; i < items.size(); i++) {
            x.append("    <entry producer=\"chain").append(i).append("\" in=\"0\" out=\"").append(items.get(i).frames() - 1).append("\"/>\n");
        }
        x.append("  </playlist>\n");
        x.append("  <producer id=\"black\" in=\"0\" out=\"").append(total - 1).append("\">\n")
                .append("    <property name=\"length\">").append(total).append("</property>\n")
                .append("    <property name=\"eof\">pause</property>\n")
                .append("    <property name=\"resource\">0</property>\n")
                .append("    <property name=\"aspect_ratio\">1</property>\n")
                .append("    <property name=\"mlt_service\">color</property>\n")
                .append("    <property name=\"mlt_image_format\">rgba</property>\n")
                .append("    <property name=\"set.test_audio\">0</property>\n")
                .append("  </producer>\n");
        x.append("  <playlist id=\"background\">\n    <entry producer=\"black\" in=\"0\" out=\"").append(total - 1).append("\"/>\n  </playlist>\n");
        int base = items.size();
        for (int i = 0; i < items.size(); i++) {
            chain(x, "chain" + (base + i), dir, items.get(i));
        }
        x.append("  <playlist id=\"playlist0\">\n")
                .append("    <property name=\"shotcut:video\">1</property>\n")
                .append("    <property name=\"shotcut:name\">V1</property>\n");
        for (int i = 0; i < items.size(); i++) {
            x.append("    <entry producer=\"chain").append(base + i).append("\" in=\"0\" out=\"").append(items.get(i).frames() - 1).append("\"/>\n");
        }
        x.append("  </playlist>\n");
        x.append("  <playlist id=\"playlist1\">\n")
                .append("    <property name=\"shotcut:audio\">1</property>\n")
                .append("    <property name=\"shotcut:name\">A1</property>\n")
                .append("  </playlist>\n");
        x.append("  <tractor id=\"tractor0\" title=\"Shotcut version 22.12.21\" in=\"0\" out=\"").append(total - 1).append("\">\n")
                .append("    <property name=\"shotcut\">1</property>\n")
                .append("    <property name=\"shotcut:projectAudioChannels\">2</property>\n")
                .append("    <property name=\"shotcut:projectFolder\">0</property>\n")
                .append("    <track producer=\"background\"/>\n")
                .append("    <track producer=\"playlist0\"/>\n")
                .append("    <track producer=\"playlist1\" hide=\"video\"/>\n");
        transition(x, "transition0", 1, "mix", "    <property name=\"always_active\">1</property>\n    <property name=\"sum\">1</property>\n");
        transition(x, "transition1", 1, "frei0r.cairoblend",
                "    <property name=\"version\">0.9</property>\n    <property name=\"threads\">0</property>\n    <property name=\"disable\">1</property>\n");
        transition(x, "transition2", 2, "mix", "    <property name=\"always_active\">1</property>\n    <property name=\"sum\">1</property>\n");
        x.append("  </tractor>\n</mlt>\n");
        Files.createDirectories(dir);
        Files.writeString(project, x, StandardCharsets.UTF_8);
        return project;
    }

    private static void chain(StringBuilder x, String id, Path dir, Item item) {
        String rel = dir.relativize(item.file().toAbsolutePath()).toString();
        x.append("  <chain id=\"").append(id).append("\" out=\"").append(item.frames() - 1).append("\">\n")
                .append("    <property name=\"length\">").append(item.frames()).append("</property>\n")
                .append("    <property name=\"eof\">pause</property>\n")
                .append("    <property name=\"resource\">").append(escape(rel)).append("</property>\n")
                .append("    <property name=\"mlt_service\">avformat-novalidate</property>\n")
                .append("    <property name=\"seekable\">1</property>\n")
                .append("    <property name=\"mute_on_pause\">0</property>\n")
                .append("    <property name=\"shotcut:caption\">").append(escape(item.file().getFileName().toString())).append("</property>\n")
                .append("  </chain>\n");
    }

    private static void transition(StringBuilder x, String id, int bTrack, String service, String extra) {
        x.append("    <transition id=\"").append(id).append("\">\n")
                .append("      <property name=\"a_track\">0</property>\n")
                .append("      <property name=\"b_track\">").append(bTrack).append("</property>\n")
                .append("      <property name=\"mlt_service\">").append(service).append("</property>\n")
                .append(extra.replace("    <property", "      <property"))
                .append("    </transition>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
