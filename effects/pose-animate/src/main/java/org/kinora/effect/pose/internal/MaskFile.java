package org.kinora.effect.pose.internal;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A character mask given as a picture ({@code mask=PATH}): PNG or any format ImageIO reads; the character is white (or
 * opaque, when the picture has an alpha channel), the rest black (or transparent). Scaled to the frame as the still is.
 */
final class MaskFile {

    /** Largest mask picture accepted, in pixels (a 16K square). */
    static final long MAX_PIXELS = 16384L * 16384;

    private MaskFile() {
    }

    /**
     * @return {@code width * height} values in [0, 1]
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static float[] read(Path file, int width, int height) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("mask " + file + ": no such file");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("mask " + file + ": not a picture ImageIO can read (PNG, JPEG, BMP, GIF)");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in);
                long px = (long) r.getWidth(0) * r.getHeight(0);
                if (px > MAX_PIXELS) {
                    throw new IllegalArgumentException("mask " + file + ": " + r.getWidth(0) + "x" + r.getHeight(0) + " is larger than 16384x16384");
                }
                img = r.read(0);
            } finally {
                r.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("mask " + file + ": cannot be read: " + e.getMessage(), e);
        }
        // an alpha channel that is opaque everywhere says nothing: such a picture is read by its brightness
        boolean byAlpha = img.getColorModel().hasAlpha() && !isOpaqueEverywhere(img);
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        int[] argb = scaled.getRGB(0, 0, width, height, null, 0, width);
        float[] out = new float[width * height];
        float max = 0;
        for (int i = 0; i < out.length; i++) {
            int p = argb[i];
            float a = (p >>> 24) / 255f;
            float luma = (0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff)) / 255f;
            out[i] = byAlpha ? a : luma;
            max = Math.max(max, out[i]);
        }
        if (max < 0.5f) {
            throw new IllegalArgumentException("mask " + file + ": shows no character (white or opaque pixels mark the character)");
        }
        return out;
    }

    private static boolean isOpaqueEverywhere(BufferedImage img) {
        var raster = img.getAlphaRaster();
        if (raster == null) {
            return true;
        }
        int[] a = raster.getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
        for (int v : a) {
            if (v != 255) {
                return false;
            }
        }
        return true;
    }
}
