package org.kinora.cli.internal.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.host.ProjectException;

/** Undo puts the backup of an apply back, and refuses when the project changed since (the editor's work wins). */
class ProjectUndoTest {

    @TempDir
    Path dir;

    private ProjectUndo applied(Path project) throws Exception {
        Files.writeString(project, "<mlt>before</mlt>");
        Set<Path> before = ProjectUndo.backups(project);
        // what the host's save does: a backup beside the project, then the new content
        Files.writeString(project.resolveSibling(project.getFileName() + ".kinora-20260101-000000-000.bak"), "<mlt>before</mlt>");
        Files.writeString(project, "<mlt>after</mlt>");
        return ProjectUndo.after(project, before);
    }

    @Test
    void restoresTheBackupOfTheApply() throws Exception {
        Path project = dir.resolve("edit.mlt");
        ProjectUndo undo = applied(project);
        assertEquals("edit.mlt.kinora-20260101-000000-000.bak", undo.backup().getFileName().toString());
        undo.restore();
        assertEquals("<mlt>before</mlt>", Files.readString(project));
        try (var s = Files.list(dir)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("edit.mlt.kinora-undone-")), "the undone state is kept too");
        }
    }

    @Test
    void refusesWhenTheProjectChangedSinceTheApply() throws Exception {
        Path project = dir.resolve("edit.mlt");
        ProjectUndo undo = applied(project);
        Files.writeString(project, "<mlt>saved in the editor</mlt>");
        ProjectException e = assertThrows(ProjectException.class, undo::restore);
        assertTrue(e.getMessage().contains("changed on disk since the apply"), e.getMessage());
        assertTrue(e.getMessage().contains(undo.backup().toString()), e.getMessage());
        assertEquals("<mlt>saved in the editor</mlt>", Files.readString(project));
    }

    @Test
    void noBackupNoUndo() throws Exception {
        Path project = Files.writeString(dir.resolve("edit.mlt"), "x");
        assertThrows(ProjectException.class, () -> ProjectUndo.after(project, ProjectUndo.backups(project)));
    }
}
