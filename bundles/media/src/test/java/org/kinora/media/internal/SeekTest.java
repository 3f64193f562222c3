package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.media.internal.Fixtures.H;
import static org.kinora.media.internal.Fixtures.W;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.time.FrameRate;

/**
 * Frame-exact seeking and rate conversion on clips whose pictures encode their own index: frame n of a request must
 * be the source frame on screen at n / rate.
 */
class SeekTest {

    private static final MediaServiceImpl MEDIA = new MediaServiceImpl();
    private static final int PAL_FRAMES = 100;

    @TempDir
    static Path dir;
    /** H.264 with B-frames and a key frame every second: seeking has to decode forward from a key frame. */
    static Path pal;
    /** FFV1 at 30000/1001 in Matroska, whose millisecond timestamps are off the exact NTSC times. */
    static Path ntsc;

    @BeforeAll
    static void makeClips() throws Exception {
        pal = Fixtures.indexClip(MEDIA, dir.resolve("pal.mp4"), EncodeSettings.h264(W, H, FrameRate.FPS_25), PAL_FRAMES);
        ntsc = Fixtures.indexClip(MEDIA, dir.resolve("ntsc.mkv"),
                EncodeSettings.h264(W, H, FrameRate.NTSC_30).withCodec(VideoCodec.FFV1), 90);
    }

    private static List<Long> expected(long first, long last, java.util.function.LongUnaryOperator sourceFrame) {
        return LongStream.rangeClosed(first, last).map(sourceFrame).boxed().toList();
    }

    @Test
    void middleRangeAtTheFileRate() throws Exception {
        try (FfmpegDecoder d = MEDIA.decoder(pal, MEDIA.probe(pal), Fixtures.range(40, 59, FrameRate.FPS_25)).start()) {
            List<VideoFrame> frames = new ArrayList<>();
            VideoFrame f;
            while ((f = d.next()) != null) {
                frames.add(f);
            }
            assertEquals(expected(40, 59, n -> n), Fixtures.indices(frames));
            assertEquals(LongStream.range(0, 20).boxed().toList(), frames.stream().map(VideoFrame::index).toList());
            assertTrue(d.grabbed() <= 25, "seeked, not decoded from the start: grabbed " + d.grabbed());
            // pictures between the key frame and frame 40 are decoded but never converted to RGB
            assertEquals(20, d.converted(), "converted only the pictures shown");
        }
    }

    @Test
    void doubleRateShowsEachFrameTwice() throws Exception {
        List<VideoFrame> frames = Fixtures.decodeAll(MEDIA, pal, Fixtures.range(80, 119, new FrameRate(50, 1)));
        assertEquals(expected(80, 119, n -> n / 2), Fixtures.indices(frames));
    }

    @Test
    void halfRateDropsEveryOtherFrame() throws Exception {
        List<VideoFrame> frames = Fixtures.decodeAll(MEDIA, pal, Fixtures.range(10, 30, new FrameRate(25, 2)));
        assertEquals(expected(10, 30, n -> 2 * n), Fixtures.indices(frames));
    }

    @Test
    void palReadAtNtscHoldsAndDropsExactly() throws Exception {
        List<VideoFrame> frames = Fixtures.decodeAll(MEDIA, pal, Fixtures.range(30, 89, FrameRate.NTSC_30));
        assertEquals(expected(30, 89, n -> n * 1001 * 25 / 30000), Fixtures.indices(frames));
    }

    @Test
    void ntscInMatroskaAtItsOwnRate() throws Exception {
        assertEquals(FrameRate.NTSC_30, MEDIA.probe(ntsc).frameRate());
        List<VideoFrame> frames = Fixtures.decodeAll(MEDIA, ntsc, Fixtures.range(31, 60, FrameRate.NTSC_30));
        assertEquals(expected(31, 60, n -> n), Fixtures.indices(frames));
    }

    @Test
    void ntscReadAtPal() throws Exception {
        List<VideoFrame> frames = Fixtures.decodeAll(MEDIA, ntsc, Fixtures.range(20, 70, FrameRate.FPS_25));
        // source frame shown at n/25 s: floor(n / 25 * 30000 / 1001)
        assertEquals(expected(20, 70, n -> n * 30000 / (25 * 1001)), Fixtures.indices(frames));
    }

    @Test
    void transportStreamCountsFromItsFirstPicture() throws Exception {
        // MPEG-TS starts its clock at 1.4 s; frame numbers still count from the first picture.
        Path ts = dir.resolve("pal.ts");
        Fixtures.ffmpeg("-i", pal.toString(), "-c", "copy", "-f", "mpegts", ts.toString());
        List<VideoFrame> frames = Fixtures.decodeAll(MEDIA, ts, Fixtures.range(40, 49, FrameRate.FPS_25));
        assertEquals(expected(40, 49, n -> n), Fixtures.indices(frames));
        assertEquals(expected(0, 4, n -> n),
                Fixtures.indices(Fixtures.decodeAll(MEDIA, ts, Fixtures.range(0, 4, FrameRate.FPS_25))));
    }

    @Test
    void scalesToTheRequestedSize() throws Exception {
        List<VideoFrame> both = Fixtures.decodeAll(MEDIA, pal, new DecodeRequest(5, 7, FrameRate.FPS_25, 80, 40));
        assertEquals(80, both.get(0).width());
        assertEquals(40, both.get(0).height());
        assertEquals(expected(5, 7, n -> n), Fixtures.indices(both));
        List<VideoFrame> widthOnly = Fixtures.decodeAll(MEDIA, pal, new DecodeRequest(5, 5, FrameRate.FPS_25, 80, 0));
        assertEquals(48, widthOnly.get(0).height(), "height follows the aspect ratio");
    }

    @Test
    void toleratesEndingTwoFramesShort() throws Exception {
        List<VideoFrame> frames = Fixtures.decodeAll(MEDIA, pal, Fixtures.range(95, PAL_FRAMES + 1, FrameRate.FPS_25));
        assertEquals(List.of(95L, 96L, 97L, 98L, 99L, 99L, 99L), Fixtures.indices(frames));
    }

    @Test
    void endingFurtherShortIsAnErrorNamingFileAndFrame() {
        MediaException e = assertThrows(MediaException.class,
                () -> Fixtures.decodeAll(MEDIA, pal, Fixtures.range(95, PAL_FRAMES + 5, FrameRate.FPS_25)));
        assertTrue(e.getMessage().contains(pal.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("ends at frame " + PAL_FRAMES), e.getMessage());
    }

    @Test
    void rangeBeyondTheEndIsAnError() {
        MediaException e = assertThrows(MediaException.class,
                () -> Fixtures.decodeAll(MEDIA, pal, Fixtures.range(500, 510, FrameRate.FPS_25)));
        assertTrue(e.getMessage().contains(pal.toString()), e.getMessage());
    }
}
