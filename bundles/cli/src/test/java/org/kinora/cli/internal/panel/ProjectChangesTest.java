package org.kinora.cli.internal.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;

/** What an apply changed, in the editor's words: a replaced clip, a new track; unchanged clips are not mentioned. */
class ProjectChangesTest {

    private static final Path DIR = Path.of("/projects/edit");
    private static final Profile PROFILE = new Profile(640, 360, FrameRate.FPS_25, 709);

    private static Clip clip(String track, int n, String producer, String file, long position, long length) {
        return new Clip(track, n, producer, DIR.resolve(file), ClipKind.VIDEO, 0, length - 1, position);
    }

    @Test
    void namesReplacedClipsAndNewTracks() {
        Timeline before = new Timeline(PROFILE, List.of(new Track("V1", TrackKind.VIDEO, List.of(clip("V1", 1, "c1", "media/a.mp4", 0, 50),
                clip("V1", 2, "c2", "media/b.mp4", 50, 25)))));
        Timeline after = new Timeline(PROFILE, List.of(
                new Track("V1", TrackKind.VIDEO, List.of(clip("V1", 1, "c1", "media/a.mp4", 0, 50),
                        clip("V1", 2, "k1", "kinora-media/b-style.mp4", 50, 25))),
                new Track("V2", TrackKind.VIDEO, List.of(clip("V2", 1, "k2", "kinora-media/generate-1.mp4", 10, 20)))));
        assertEquals(List.of("V1:2 now plays kinora-media/b-style.mp4 (was media/b.mp4, kept in the bin), frames 50..74",
                "new track V2 with 1 clip: kinora-media/generate-1.mp4 at frame 10"), ProjectChanges.between(before, after, DIR));
        assertEquals(List.of(), ProjectChanges.between(before, before, DIR));
    }
}
