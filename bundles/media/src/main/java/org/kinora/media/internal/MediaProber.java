package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_color_primaries_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_range_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_space_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_transfer_name;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import java.nio.file.Path;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.time.FrameRate;

/**
 * Reads a file's streams with libavformat only (no decoding), so probing a long clip costs the same as a short one.
 */
final class MediaProber {

    /** The rate {@link MediaInfo} reports for stills, and the fallback when a stream states none. */
    static final FrameRate STILL_RATE = FrameRate.FPS_25;

    private MediaProber() {
    }

    static MediaInfo probe(Path file) throws MediaException {
        Ffmpeg.requireReadableFile(file);
        Ffmpeg.init();
        AVFormatContext ic = new AVFormatContext(null);
        int ret = avformat_open_input(ic, file.toAbsolutePath().toString(), null, (AVDictionary) null);
        if (ret < 0) {
            throw new MediaException(file + ": not a media file FFmpeg can read: " + Ffmpeg.errorText(ret));
        }
        try {
            ret = avformat_find_stream_info(ic, (AVDictionary) null);
            if (ret < 0) {
                throw new MediaException(file + ": cannot read stream information: " + Ffmpeg.errorText(ret));
            }
            return describe(file, ic);
        } finally {
            avformat_close_input(ic);
        }
    }

    private static MediaInfo describe(Path file, AVFormatContext ic) throws MediaException {
        AVStream video = null;
        AVStream audio = null;
        for (int i = 0; i < ic.nb_streams(); i++) {
            AVStream st = ic.streams(i);
            int type = st.codecpar().codec_type();
            // Cover art in audio files is a "video" stream of one picture; it is not the file's video.
            if (type == AVMEDIA_TYPE_VIDEO && video == null && (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                video = st;
            } else if (type == AVMEDIA_TYPE_AUDIO && audio == null) {
                audio = st;
            }
        }
        if (video == null && audio == null) {
            throw new MediaException(file + ": not a media file (no video or audio stream)");
        }
        String format = Ffmpeg.string(ic.iformat().name());
        double duration = ic.duration() != AV_NOPTS_VALUE && ic.duration() > 0 ? ic.duration() / 1e6 : 0;

        int width = 0;
        int height = 0;
        FrameRate rate = STILL_RATE;
        long frames = 0;
        String codec = null;
        String pixFmt = null;
        ColorInfo color = ColorInfo.UNKNOWN;
        boolean still = false;
        if (video != null) {
            AVCodecParameters par = video.codecpar();
            width = par.width();
            height = par.height();
            codec = Ffmpeg.string(avcodec_get_name(par.codec_id()));
            pixFmt = par.format() < 0 ? null : Ffmpeg.string(av_get_pix_fmt_name(par.format()));
            color = new ColorInfo(Ffmpeg.knownName(av_color_space_name(par.color_space())),
                    Ffmpeg.knownName(av_color_range_name(par.color_range())),
                    Ffmpeg.knownName(av_color_primaries_name(par.color_primaries())),
                    Ffmpeg.knownName(av_color_transfer_name(par.color_trc())));
            still = isStill(format, video);
            if (still) {
                frames = 1;
            } else {
                rate = streamRate(video);
                double streamSeconds = seconds(video.duration(), video.time_base());
                if (streamSeconds <= 0) {
                    streamSeconds = duration;
                }
                frames = video.nb_frames() > 0 ? video.nb_frames() : rate.frameAtSeconds(streamSeconds);
                duration = Math.max(duration, streamSeconds);
            }
        }
        int sampleRate = audio == null ? 0 : audio.codecpar().sample_rate();
        int channels = audio == null ? 0 : audio.codecpar().ch_layout().nb_channels();
        if (audio != null) {
            duration = Math.max(duration, seconds(audio.duration(), audio.time_base()));
        }
        return new MediaInfo(file, width, height, rate, frames, duration, codec, pixFmt, color, still, audio != null,
                sampleRate, channels);
    }

    /** A single image: the image demuxers ("image2" for a named file, "png_pipe" and friends when sniffed). */
    private static boolean isStill(String format, AVStream video) {
        if (format == null) {
            return false;
        }
        boolean imageDemuxer = format.equals("image2") || format.endsWith("_pipe");
        return imageDemuxer && video.nb_frames() <= 1;
    }

    /**
     * The stream's frame rate as an exact fraction. The average rate is what players use; when it is within 0.1% of the
     * container's base rate (r_frame_rate) we take the base rate, which is the exact fraction (Matroska's millisecond
     * timestamps make the average slightly off, e.g. 29.969 for 30000/1001).
     */
    static FrameRate streamRate(AVStream st) {
        AVRational avg = st.avg_frame_rate();
        AVRational base = st.r_frame_rate();
        boolean avgOk = avg.num() > 0 && avg.den() > 0;
        boolean baseOk = base.num() > 0 && base.den() > 0;
        if (baseOk && (!avgOk || Math.abs(fps(avg) / fps(base) - 1) < 1e-3)) {
            return snap(new FrameRate(base.num(), base.den()));
        }
        return avgOk ? snap(new FrameRate(avg.num(), avg.den())) : STILL_RATE;
    }

    /** Snaps near-NTSC rates (e.g. 2997/100) to their exact /1001 fraction so frame maths stays exact. */
    static FrameRate snap(FrameRate r) {
        if (r.denominator() == 1 || r.denominator() == 1001) {
            return r;
        }
        double fps = r.fps();
        for (long base : new long[] {24, 30, 48, 60, 120}) {
            if (Math.abs(fps - base * 1000.0 / 1001.0) < 0.005) {
                return new FrameRate(base * 1000, 1001);
            }
        }
        long whole = Math.round(fps);
        if (whole > 0 && Math.abs(fps - whole) < 0.0005) {
            return new FrameRate(whole, 1);
        }
        return r;
    }

    private static double fps(AVRational r) {
        return (double) r.num() / r.den();
    }

    private static double seconds(long ts, AVRational tb) {
        return ts == AV_NOPTS_VALUE || ts <= 0 ? 0 : ts * (double) tb.num() / tb.den();
    }
}
