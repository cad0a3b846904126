package org.tamer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryReplacementTest {

    @Test
    void putsTheStagingFolderInPlaceOfAMissingOrExistingTarget(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("bundle");
        DirectoryReplacement.replace(folder(dir.resolve(".staging-1"), "version 1"), target);
        assertEquals("version 1", Files.readString(target.resolve("content.txt")));

        DirectoryReplacement.replace(folder(dir.resolve(".staging-2"), "version 2"), target);
        assertEquals("version 2", Files.readString(target.resolve("content.txt")));
        assertEquals(List.of("bundle"), names(dir), "no staging or previous folder is left behind");
    }

    @Test
    void aCrashBetweenTheTwoRenamesLeavesThePreviousVersionWhichRecoverRestores(@TempDir Path dir)
            throws IOException {
        Path target = dir.resolve("checkpoint");
        DirectoryReplacement.replace(folder(dir.resolve(".staging-1"), "step 30"), target);
        // what replace does up to the crash: the old version renamed aside, the new one not yet moved in
        Path staging = folder(dir.resolve(".staging-2"), "step 60");
        Files.move(target, DirectoryReplacement.previousOf(target));

        assertTrue(DirectoryReplacement.recover(target));
        assertEquals("step 30", Files.readString(target.resolve("content.txt")));
        assertFalse(Files.exists(DirectoryReplacement.previousOf(target)));
        assertFalse(DirectoryReplacement.recover(target), "nothing left to finish");

        DirectoryReplacement.replace(staging, target);
        assertEquals("step 60", Files.readString(target.resolve("content.txt")));
    }

    @Test
    void aCrashWhileDeletingThePreviousVersionKeepsTheNewOne(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("checkpoint");
        DirectoryReplacement.replace(folder(dir.resolve(".staging-1"), "step 60"), target);
        Path previous = folder(DirectoryReplacement.previousOf(target), "step 30");
        Files.delete(previous.resolve("content.txt"));
        Files.writeString(previous.resolve("left-over.bin"), "half deleted", StandardCharsets.UTF_8);

        assertTrue(DirectoryReplacement.recover(target));
        assertEquals("step 60", Files.readString(target.resolve("content.txt")));
        assertEquals(List.of("checkpoint"), names(dir));
    }

    @Test
    void refusesAStagingFolderThatDoesNotExist(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectoryReplacement.replace(dir.resolve("missing"), dir.resolve("bundle")));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void previousVersionIsAHiddenSibling(@TempDir Path dir) {
        assertEquals(dir.resolve(".checkpoint.previous"), DirectoryReplacement.previousOf(dir.resolve("checkpoint")));
        assertEquals(dir.resolve(".bundle.previous"), DirectoryReplacement.previousOf(dir.resolve("x/../bundle/")));
    }

    private static Path folder(Path path, String content) throws IOException {
        Files.createDirectories(path.resolve("nested"));
        Files.writeString(path.resolve("content.txt"), content, StandardCharsets.UTF_8);
        Files.writeString(path.resolve("nested/parameters.bin"), content + " parameters", StandardCharsets.UTF_8);
        return path;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
