package org.kinora.cli.internal.preview;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.kinora.core.KinoraException;
import org.kinora.core.media.VideoFrame;

/** Writes a frame as a PNG (through a temporary file, renamed into place, so a failed write leaves nothing behind). */
public final class Png {

    private Png() {
    }

    public static void write(VideoFrame f, Path png) throws KinoraException {
        byte[] rgb = new byte[f.byteCount()];
        f.rgb().duplicate().rewind().get(rgb);
        // the frame's RGB bytes as they are: an interleaved raster over the same array, no per-pixel copy
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), f.width(), f.height(),
                f.width() * 3, 3, new int[] {0, 1, 2}, null);
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage image = new BufferedImage(cm, raster, false, null);
        Path dir = png.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + png.getFileName(), ".tmp");
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            try (OutputStream out = Files.newOutputStream(tmp); ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                // a preview is looked at, not archived: fast deflate (the PNG stays lossless)
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.75f);
                writer.setOutput(ios);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KinoraException("cannot write " + png + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
