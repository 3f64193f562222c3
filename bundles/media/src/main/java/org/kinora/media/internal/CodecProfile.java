package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_PIX_FORMAT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FLAC;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_supported_config;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.time.FrameRate;

/**
 * How each {@link VideoCodec} is written: FFmpeg encoder, muxer, usual pixel format, encoder options and the audio codec
 * that goes with the container.
 *
 * @param encoder        FFmpeg encoder name
 * @param muxer          FFmpeg muxer name
 * @param defaultPixFmt  pixel format when the settings name none (or one the encoder cannot write)
 * @param gop            key frame interval in frames
 * @param options        encoder options
 * @param audioCodec     FFmpeg codec id for carried audio
 */
record CodecProfile(String encoder, String muxer, String defaultPixFmt, int gop, Map<String, String> options,
        int audioCodec) {

    static CodecProfile of(VideoCodec codec, FrameRate rate) {
        Map<String, String> opts = new LinkedHashMap<>();
        switch (codec) {
            case H264 -> {
                // Visually lossless for an intermediate result, and fast on the CPU the editor shares with inference.
                opts.put("crf", "18");
                opts.put("preset", "veryfast");
                // A key frame about every second keeps scrubbing in the editor responsive.
                return new CodecProfile("libx264", "mp4", "yuv420p", (int) Math.max(1, Math.round(rate.fps())), opts,
                        AV_CODEC_ID_AAC);
            }
            case PRORES -> {
                opts.put("vendor", "apl0");
                return new CodecProfile("prores_ks", "mov", "yuv422p10le", 1, opts, AV_CODEC_ID_AAC);
            }
            case FFV1 -> {
                // Version 3 with slice CRCs is the archival setting; intra-only so every frame is a seek point.
                opts.put("level", "3");
                opts.put("slicecrc", "1");
                // bgr0 by default: results come to us as RGB, and only an RGB format keeps them bit-exact. (FFmpeg 8's
                // FFV1 writes planar RGB only at 9+ bits, so a request for 8-bit gbrp also ends up here, still exact.)
                return new CodecProfile("ffv1", "matroska", "bgr0", 1, opts, AV_CODEC_ID_FLAC);
            }
            default -> throw new IllegalArgumentException("unsupported codec " + codec);
        }
    }

    /**
     * The pixel format to write: the requested one when the encoder supports it (to keep the source's format), else
     * this profile's usual one.
     */
    String pixelFormat(String requested) {
        if (requested != null && supports(requested)) {
            return requested;
        }
        return defaultPixFmt;
    }

    /** ProRes chooses its profile from the pixel format: 4444 for 4:4:4 formats, HQ otherwise. */
    String proresProfile(String pixFmt) {
        return pixFmt.startsWith("yuv444") || pixFmt.startsWith("yuva444") ? "4444" : "hq";
    }

    /** Whether the encoder accepts {@code pixFmt}, asked of the encoder itself rather than a hard-coded list. */
    boolean supports(String pixFmt) {
        int wanted = av_get_pix_fmt(pixFmt);
        if (wanted == AV_PIX_FMT_NONE) {
            return false;
        }
        AVCodec c = avcodec_find_encoder_by_name(encoder);
        if (c == null || c.isNull()) {
            return false;
        }
        try (PointerPointer<?> out = new PointerPointer<>(1); IntPointer count = new IntPointer(1)) {
            int ret = avcodec_get_supported_config(null, c, AV_CODEC_CONFIG_PIX_FORMAT, 0, out, count);
            Pointer list = ret < 0 ? null : out.get(0);
            if (list == null || list.isNull()) {
                return true; // the encoder declares no restriction
            }
            IntPointer formats = new IntPointer(list).capacity(count.get());
            for (int i = 0; i < count.get(); i++) {
                if (formats.get(i) == wanted) {
                    return true;
                }
            }
            return false;
        }
    }
}
