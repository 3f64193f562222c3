package org.kinora.host.mlt.internal;

import java.util.List;
import java.util.Locale;

import org.kinora.core.time.FrameRate;
import org.w3c.dom.Element;

/**
 * Makes a project's timeline long enough to play media that ends after it.
 *
 * <p>A tractor with an {@code out} plays only up to it, whatever its tracks hold, and both editors write one: Shotcut
 * on its main tractor, Kdenlive on the main (1.04) or sequence (1.1) tractor and on the 1.1 project tractor that plays
 * the sequence. The background track (Shotcut's {@code background} playlist of black, Kdenlive's {@code black_track})
 * is as long as the timeline in both, so it is lengthened too: past its end nothing would be under the new track.
 * Nothing is ever shortened.
 */
final class TimelineExtent {

    private final EditContext ctx;
    private final FrameRate rate;

    TimelineExtent(EditContext ctx) {
        this.ctx = ctx;
        this.rate = ctx.model.timeline().profile().frameRate();
    }

    /** Makes the timeline play at least {@code frames} frames. */
    void reach(long frames) {
        long last = frames - 1;
        Element main = ctx.model.mainTractor();
        extendOut(main, last);
        String mainId = main.getAttribute("id");
        for (Element t : Dom.children(ctx.doc.getDocumentElement(), "tractor")) {
            for (Element track : Dom.children(t, "track")) {
                if (t != main && track.getAttribute("producer").equals(mainId)) {
                    // Kdenlive 1.1's project tractor plays the sequence over a range of its own
                    extendOut(track, last);
                    extendOut(t, last);
                }
            }
        }
        List<Element> tracks = Dom.children(main, "track");
        if (!tracks.isEmpty()) {
            Element background = ctx.model.byId().get(tracks.get(0).getAttribute("producer"));
            if (background != null && isBackground(background)) {
                extendBackground(background, frames);
            }
        }
        if (ctx.format == ProjectFormat.KDENLIVE_11) {
            // the sequence's own record of its length, as Kdenlive writes it on save
            String max = Dom.prop(main, "kdenlive:maxduration");
            if (max != null && max.trim().matches("\\d+") && Long.parseLong(max.trim()) < frames) {
                Dom.setProp(main, "kdenlive:maxduration", Long.toString(frames));
            }
            String duration = Dom.prop(main, "kdenlive:duration");
            if (duration != null && frames(duration, Long.MAX_VALUE) < frames) {
                Dom.setProp(main, "kdenlive:duration", clock(frames));
            }
        }
    }

    private boolean isBackground(Element e) {
        String id = e.getAttribute("id");
        return id.equals("background") || id.equals("black_track") || Dom.propIs(e, "kdenlive:playlistid", "black_track");
    }

    private void extendBackground(Element background, long frames) {
        if (background.getTagName().equals("playlist")) {
            long length = 0;
            Element lastEntry = null;
            for (Element item : Dom.children(background)) {
                if (item.getTagName().equals("blank")) {
                    length += frames(item.getAttribute("length"), 0);
                } else if (item.getTagName().equals("entry")) {
                    Element producer = ctx.model.byId().get(item.getAttribute("producer"));
                    long in = frames(Dom.attr(item, "in"), 0);
                    long out = frames(Dom.attr(item, "out"), producer == null ? in - 1 : frames(Dom.attr(producer, "out"), in - 1));
                    length += Math.max(0, out - in + 1);
                    lastEntry = item;
                }
            }
            if (lastEntry == null || length >= frames) {
                return;
            }
            long in = frames(Dom.attr(lastEntry, "in"), 0);
            Element producer = ctx.model.byId().get(lastEntry.getAttribute("producer"));
            long out = frames(Dom.attr(lastEntry, "out"), producer == null ? in - 1 : frames(Dom.attr(producer, "out"), in - 1));
            long newOut = out + frames - length;
            MltXml.setAttr(lastEntry, "out", MltTime.frames(newOut));
            if (producer != null) {
                extendProducer(producer, newOut);
            }
        } else {
            extendProducer(background, frames - 1);
        }
    }

    /** A producer that must play up to frame {@code last}: its out and its length. */
    private void extendProducer(Element producer, long last) {
        extendOut(producer, last);
        String length = Dom.prop(producer, "length");
        if (length != null && frames(length, Long.MAX_VALUE) < last + 1) {
            Dom.setProp(producer, "length", MltTime.frames(last + 1));
        }
    }

    private void extendOut(Element e, long last) {
        if (e.hasAttribute("out") && frames(e.getAttribute("out"), Long.MAX_VALUE) < last) {
            MltXml.setAttr(e, "out", MltTime.frames(last));
        }
    }

    /** A time value in frames, {@code fallback} when missing or not a time (then it is left alone). */
    private long frames(String value, long fallback) {
        try {
            return MltTime.toFrames(value, rate, fallback);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** {@code hh:mm:ss.mmm}, the clock Kdenlive writes for durations. */
    private String clock(long frames) {
        long ms = Math.round(frames * 1000.0 * rate.denominator() / rate.numerator());
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }
}
