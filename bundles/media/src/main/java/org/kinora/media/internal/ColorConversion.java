package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_FCC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE240M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_BAYER;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_HWACCEL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_PAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_XYZ;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_color_range_from_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_space_from_name;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_BT2020;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_FCC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_SMPTE240M;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INP;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.nio.ByteBuffer;
import java.util.Locale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.kinora.core.media.ColorInfo;

/**
 * Colour-accurate conversion between packed RGB24 and a stream's own pixel format with swscale, using the YCbCr matrix
 * and range the stream is tagged with. (swscale on its own, and so JavaCV's grabber and recorder, always assumes BT.601
 * limited range, which shifts the colours of HD material.) Untagged streams get what players assume: BT.601 below 720
 * lines, BT.709 from 720 up, limited range.
 *
 * <p>One instance serves one thread: it keeps the swscale context and a native picture buffer for reuse, so the per
 * frame cost is the conversion itself plus one bulk copy. Not thread-safe; {@link #close()} frees the native memory.
 */
final class ColorConversion implements AutoCloseable {

    /** The YCbCr matrices swscale implements. */
    enum Matrix {
        BT601(SWS_CS_ITU601), BT709(SWS_CS_ITU709), BT2020(SWS_CS_BT2020), SMPTE240M(SWS_CS_SMPTE240M), FCC(SWS_CS_FCC);

        /** swscale's {@code SWS_CS_*} number. */
        final int sws;

        Matrix(int sws) {
            this.sws = sws;
        }

        /** The matrix for an FFmpeg {@code AVCOL_SPC_*} value, or null when unspecified or not a YCbCr matrix we have. */
        static Matrix known(int avColorSpace) {
            if (avColorSpace == AVCOL_SPC_BT709) {
                return BT709;
            }
            if (avColorSpace == AVCOL_SPC_BT470BG || avColorSpace == AVCOL_SPC_SMPTE170M) {
                return BT601;
            }
            if (avColorSpace == AVCOL_SPC_BT2020_NCL || avColorSpace == AVCOL_SPC_BT2020_CL) {
                // constant luminance is not a matrix; its non-constant twin is the usual (and FFmpeg's) approximation
                return BT2020;
            }
            if (avColorSpace == AVCOL_SPC_SMPTE240M) {
                return SMPTE240M;
            }
            if (avColorSpace == AVCOL_SPC_FCC) {
                return FCC;
            }
            return null;
        }

        /** The matrix for an FFmpeg colour space name ({@code bt709}, {@code smpte170m}...), or null. */
        static Matrix known(String name) {
            if (name == null || name.isBlank()) {
                return null;
            }
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("bt601") || n.equals("bt470") || n.equals("pal") || n.equals("ntsc")) {
                return BT601;
            }
            return known(av_color_space_from_name(n));
        }

        /** What players assume for untagged video: BT.601 for SD, BT.709 for HD and up. */
        static Matrix forHeight(int height) {
            return height < 720 ? BT601 : BT709;
        }

        /** The named matrix, or the default for a picture {@code height} lines high. */
        static Matrix of(String name, int height) {
            Matrix m = known(name);
            return m != null ? m : forHeight(height);
        }
    }

    /** Whether a range name means full ("pc"/"jpeg") range; unknown is limited, as for any YCbCr video. */
    static boolean fullRange(String name) {
        return name != null && av_color_range_from_name(name.trim().toLowerCase(Locale.ROOT)) == AVCOL_RANGE_JPEG;
    }

    /**
     * Whether swscale treats {@code pixFmt} as luma/chroma (YUV or grey), i.e. whether a matrix and range apply to it.
     * RGB, palette, Bayer and XYZ formats have neither.
     */
    static boolean isYuv(int pixFmt) {
        AVPixFmtDescriptor d = av_pix_fmt_desc_get(pixFmt);
        if (d == null || d.isNull()) {
            return false;
        }
        long notYuv = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BAYER | AV_PIX_FMT_FLAG_HWACCEL
                | AV_PIX_FMT_FLAG_XYZ;
        return (d.flags() & notYuv) == 0;
    }

    /** Grey formats (luma only, perhaps with alpha). */
    static boolean isGray(int pixFmt) {
        AVPixFmtDescriptor d = av_pix_fmt_desc_get(pixFmt);
        return isYuv(pixFmt) && d.nb_components() <= 2;
    }

    /** The legacy full-range formats (yuvj420p...), full range whatever the tags say. */
    static boolean isJpegFormat(int pixFmt) {
        String name = Ffmpeg.string(av_get_pix_fmt_name(pixFmt));
        return name != null && name.startsWith("yuvj");
    }

    /**
     * Decoding: bilinear scaling as before (JavaCV's default), but with exact rounding and full chroma interpolation, so
     * flat colours come out within about one level of the exact matrix maths.
     */
    static final int DECODE_FLAGS = SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT;
    /** Encoding: FFmpeg's usual bicubic chroma downsampling from full-resolution input chroma, exact rounding. */
    static final int ENCODE_FLAGS = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP;

    private final int flags;
    private SwsContext ctx;
    /** The configuration {@link #ctx} has: source and destination size/format, matrix and ranges. */
    private int srcW = -1;
    private int srcH;
    private int srcFmt;
    private int dstW;
    private int dstH;
    private int dstFmt;
    private Matrix matrix;
    private boolean srcFull;
    private boolean dstFull;

    private Pointer buffer;
    private long bufferSize;
    private final PointerPointer<Pointer> srcData = new PointerPointer<>(8);
    private final IntPointer srcLines = new IntPointer(8);
    private final PointerPointer<Pointer> dstData = new PointerPointer<>(8);
    private final IntPointer dstLines = new IntPointer(8);

    ColorConversion(int flags) {
        this.flags = flags;
    }

    /** For the decoder. */
    static ColorConversion forDecoding() {
        return new ColorConversion(DECODE_FLAGS);
    }

    /** For the encoder. */
    static ColorConversion forEncoding() {
        return new ColorConversion(ENCODE_FLAGS);
    }

    /**
     * A decoded picture as a new packed RGB24 buffer of {@code w x h} (scaled if the picture's size differs). The matrix
     * and range are the frame's own, else the stream's tags ({@code tags}), else the defaults: BT.601 for JPEG-style
     * (yuvj) pictures and for stills (JFIF, WebP), by the picture's height for video; limited range, but full for grey
     * (as swscale and image formats have it).
     */
    ByteBuffer toRgb(AVFrame frame, ColorInfo tags, boolean still, int w, int h) {
        int fmt = frame.format();
        boolean jpeg = isJpegFormat(fmt);
        Matrix m = Matrix.known(frame.colorspace());
        if (m == null) {
            m = Matrix.known(tags == null ? null : tags.space());
        }
        if (m == null) {
            m = jpeg || still ? Matrix.BT601 : Matrix.forHeight(frame.height());
        }
        boolean full;
        if (jpeg || frame.color_range() == AVCOL_RANGE_JPEG) {
            full = true;
        } else if (frame.color_range() == AVCOL_RANGE_MPEG) {
            full = false;
        } else if (tags != null && tags.range() != null) {
            full = fullRange(tags.range());
        } else {
            full = isGray(fmt);
        }
        configure(frame.width(), frame.height(), fmt, w, h, AV_PIX_FMT_RGB24, m, full, true);
        // RGB rows padded to 64 bytes, as swscale's SIMD code likes; the copy out packs them.
        int stride = (w * 3 + 63) & ~63;
        ensureBuffer((long) stride * h + 64);
        dstData.put(0, buffer);
        dstLines.put(0, stride);
        int done = sws_scale(ctx, new PointerPointer<>(frame), frame.linesize(), 0, frame.height(), dstData, dstLines);
        if (done != h) {
            throw new IllegalStateException("swscale converted " + done + " of " + h + " lines from "
                    + Ffmpeg.string(av_get_pix_fmt_name(fmt)));
        }
        ByteBuffer src = new BytePointer(buffer).capacity((long) stride * h).asByteBuffer();
        return RgbCopy.packed(src, stride, w, h);
    }

    /**
     * Converts packed RGB24 {@code rgb} (a direct buffer, {@code w x h}) to {@code pixFmt} with the given matrix and
     * range. The result is one contiguous picture laid out as {@code av_image_fill_arrays} does with alignment 1 (the
     * layout JavaCV's recorder takes), valid until the next call; {@link #lineSize()} is its first plane's line size.
     */
    ByteBuffer fromRgb(ByteBuffer rgb, int w, int h, int pixFmt, Matrix m, boolean full) {
        configure(w, h, AV_PIX_FMT_RGB24, w, h, pixFmt, m, true, full);
        int size = av_image_get_buffer_size(pixFmt, w, h, 1);
        if (size < 0) {
            throw new IllegalStateException("cannot size a " + Ffmpeg.string(av_get_pix_fmt_name(pixFmt)) + " picture");
        }
        ensureBuffer(size + 64L);
        BytePointer src = new BytePointer(rgb);
        srcData.put(0, src);
        srcLines.put(0, w * 3);
        av_image_fill_arrays(dstData, dstLines, new BytePointer(buffer), pixFmt, w, h, 1);
        int done = sws_scale(ctx, srcData, srcLines, 0, h, dstData, dstLines);
        if (done != h) {
            throw new IllegalStateException("swscale converted " + done + " of " + h + " lines to "
                    + Ffmpeg.string(av_get_pix_fmt_name(pixFmt)));
        }
        return new BytePointer(buffer).capacity(size).asByteBuffer();
    }

    /** Line size of the first plane of the last {@link #fromRgb} result. */
    int lineSize() {
        return dstLines.get(0);
    }

    private void configure(int sw, int sh, int sf, int dw, int dh, int df, Matrix m, boolean sFull, boolean dFull) {
        boolean same = ctx != null && sw == srcW && sh == srcH && sf == srcFmt && dw == dstW && dh == dstH
                && df == dstFmt;
        if (same && m == matrix && sFull == srcFull && dFull == dstFull) {
            return;
        }
        ctx = sws_getCachedContext(ctx, sw, sh, sf, dw, dh, df, flags, null, null, (DoublePointer) null);
        if (ctx == null || ctx.isNull()) {
            ctx = null;
            throw new IllegalStateException("swscale cannot convert " + Ffmpeg.string(av_get_pix_fmt_name(sf)) + " "
                    + sw + "x" + sh + " to " + Ffmpeg.string(av_get_pix_fmt_name(df)) + " " + dw + "x" + dh);
        }
        if (isYuv(sf) || isYuv(df)) {
            IntPointer coefficients = sws_getCoefficients(m.sws);
            // brightness 0, contrast and saturation 1.0 in 16.16 fixed point; swscale ignores the range of an RGB side
            int ret = sws_setColorspaceDetails(ctx, coefficients, sFull ? 1 : 0, coefficients, dFull ? 1 : 0, 0,
                    1 << 16, 1 << 16);
            if (ret < 0) {
                throw new IllegalStateException("swscale cannot set the " + m + " matrix for "
                        + Ffmpeg.string(av_get_pix_fmt_name(isYuv(sf) ? sf : df)));
            }
        }
        srcW = sw;
        srcH = sh;
        srcFmt = sf;
        dstW = dw;
        dstH = dh;
        dstFmt = df;
        matrix = m;
        srcFull = sFull;
        dstFull = dFull;
    }

    private void ensureBuffer(long size) {
        if (buffer != null && bufferSize >= size) {
            return;
        }
        freeBuffer();
        Pointer p = av_malloc(size);
        if (p == null || p.isNull()) {
            throw new OutOfMemoryError("cannot allocate " + size + " bytes for a picture");
        }
        buffer = p;
        bufferSize = size;
    }

    private void freeBuffer() {
        if (buffer != null) {
            av_free(buffer);
            buffer = null;
            bufferSize = 0;
        }
    }

    @Override
    public void close() {
        if (ctx != null) {
            sws_freeContext(ctx);
            ctx = null;
        }
        freeBuffer();
        srcData.close();
        srcLines.close();
        dstData.close();
        dstLines.close();
    }
}
