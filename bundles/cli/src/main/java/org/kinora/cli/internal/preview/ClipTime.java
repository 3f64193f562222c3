package org.kinora.cli.internal.preview;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.core.KinoraException;
import org.kinora.core.time.FrameRate;

/**
 * A time within a clip as typed after {@code --at}: seconds ({@code 2.5}, {@code 2.5s}), a clock ({@code 1:02.5},
 * {@code 0:01:02.5}) or a frame number ({@code 48f}), counted from the clip's first frame.
 */
public final class ClipTime {

    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");
    private static final Pattern SECONDS = Pattern.compile("(\\d+(?:\\.\\d+)?)s?");
    private static final Pattern FRAMES = Pattern.compile("(\\d+)f");

    private ClipTime() {
    }

    /**
     * The frame at {@code text}, at {@code rate}.
     *
     * @throws KinoraException naming the option and the value when it is not a time
     */
    public static long frame(String text, FrameRate rate) throws KinoraException {
        return frame("--at", text, rate);
    }

    /**
     * The frame at {@code text}, at {@code rate}, typed after {@code option}.
     *
     * @throws KinoraException naming {@code option} and the value when it is not a time
     */
    public static long frame(String option, String text, FrameRate rate) throws KinoraException {
        return frame(option, text, rate, "in the clip");
    }

    /**
     * The frame at {@code text}, at {@code rate}, typed after {@code option}, a time {@code where} (e.g. "on the timeline").
     *
     * @throws KinoraException naming {@code option} and the value when it is not a time
     */
    public static long frame(String option, String text, FrameRate rate, String where) throws KinoraException {
        String t = text == null ? "" : text.trim();
        Matcher m;
        double seconds;
        if ((m = FRAMES.matcher(t)).matches()) {
            return Long.parseLong(m.group(1));
        } else if ((m = SECONDS.matcher(t)).matches()) {
            seconds = Double.parseDouble(m.group(1));
        } else if ((m = CLOCK.matcher(t)).matches()) {
            long h = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            long min = Long.parseLong(m.group(2));
            seconds = h * 3600 + min * 60 + Double.parseDouble(m.group(3));
        } else {
            throw new KinoraException(option + ": '" + text + "' is not a time " + where + " (seconds such as 2.5, a clock such as"
                    + " 1:02.5, or a frame number such as 48f)");
        }
        // the frame on screen at that time: a hair of slack so that 2.0 s at 25 fps is frame 50, not 49
        return (long) Math.floor(seconds * rate.fps() + 1e-6);
    }
}
