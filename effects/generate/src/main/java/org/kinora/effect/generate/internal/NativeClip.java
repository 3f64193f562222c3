package org.kinora.effect.generate.internal;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;

/**
 * The frames the model made, at its native size and rate, and how they become the project's: each output frame at time
 * {@code j / fps} takes the two native frames around it, blended by where it falls between them, and is scaled to the
 * project's size with bicubic interpolation (Java2D; the classical upsampler of the pipeline's last stage).
 *
 * @param frames native frames in [-1, 1], each {@code [H, W, 3]} flat
 * @param fps    the native rate
 */
record NativeClip(List<float[]> frames, int width, int height, double fps) {

    /** Output frame {@code j} of a clip at {@code outFps}, {@code outW x outH}, packed RGB. */
    byte[] frame(long j, double outFps, int outW, int outH) {
        double pos = Math.min(frames.size() - 1, j / outFps * fps);
        int a = (int) Math.floor(pos);
        int b = Math.min(frames.size() - 1, a + 1);
        float k = (float) (pos - a);
        float[] fa = frames.get(a);
        float[] fb = frames.get(b);
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) small.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < 3; c++) {
                float v = fa[3 * i + c] * (1 - k) + fb[3 * i + c] * k;
                // BGR in the picture
                px[3 * i + 2 - c] = (byte) Math.max(0, Math.min(255, Math.round((v + 1) * 127.5f)));
            }
        }
        BufferedImage big = small;
        if (outW != width || outH != height) {
            big = new BufferedImage(outW, outH, BufferedImage.TYPE_3BYTE_BGR);
            var g = big.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                g.drawImage(small, 0, 0, outW, outH, null);
            } finally {
                g.dispose();
            }
        }
        byte[] bgr = ((DataBufferByte) big.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[outW * outH * 3];
        for (int i = 0; i < outW * outH; i++) {
            rgb[3 * i] = bgr[3 * i + 2];
            rgb[3 * i + 1] = bgr[3 * i + 1];
            rgb[3 * i + 2] = bgr[3 * i];
        }
        return rgb;
    }

    /** Native frames needed to cover {@code seconds}. */
    static int framesFor(double seconds, double fps) {
        return (int) Math.ceil(seconds * fps) + 1;
    }
}
