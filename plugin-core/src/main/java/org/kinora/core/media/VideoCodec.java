package org.kinora.core.media;

/** Video codecs Kinora writes results with. */
public enum VideoCodec {
    /** H.264 (libx264) in MP4: small files every editor reads. The default. */
    H264("mp4"),
    /** Apple ProRes 422 HQ in QuickTime: an intermediate for further grading. */
    PRORES("mov"),
    /** FFV1 in Matroska: lossless. */
    FFV1("mkv");

    private final String extension;

    VideoCodec(String extension) {
        this.extension = extension;
    }

    /** The file extension of the container this codec is written in, without the dot. */
    public String extension() {
        return extension;
    }
}
