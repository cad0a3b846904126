package org.tamer.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts a completely written staging folder in the place of a target folder (a model bundle, a training checkpoint)
 * so that a crash at any moment leaves one complete version to read. Java cannot exchange two folders in one
 * rename, so the old folder is first renamed to a fixed sibling, {@code .NAME.previous}, then the staging folder
 * to the target, then the previous one is deleted. A crash between the two renames leaves no target but a complete
 * previous folder; {@link #recover} moves it back, and {@link #replace} calls it first. Files are flushed to the
 * disk before the renames, so a power cut cannot leave a renamed folder with empty files either.
 */
public final class DirectoryReplacement {

    private static final boolean DIRECTORIES_CAN_BE_SYNCED = !System.getProperty("os.name", "").startsWith("Windows");

    private DirectoryReplacement() {
    }

    /** Where the target's old version waits while it is being replaced: {@code .NAME.previous} beside it. */
    public static Path previousOf(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        return absolute.resolveSibling("." + absolute.getFileName() + ".previous");
    }

    /**
     * Replaces {@code target} (which need not exist) by {@code staging}, a folder on the same file system whose
     * files are complete. Afterwards {@code staging} no longer exists.
     */
    public static void replace(Path staging, Path target) throws IOException {
        if (!Files.isDirectory(staging)) {
            throw new IllegalArgumentException(staging + ": not a folder; nothing to put in place of " + target);
        }
        syncTree(staging);
        recover(target);
        Path previous = previousOf(target);
        if (Files.exists(target)) {
            Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.toAbsolutePath().getParent());
            deleteTree(previous);
        } else {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.toAbsolutePath().getParent());
        }
    }

    /**
     * Finishes a replacement that a crash interrupted: with no target but a previous version, the previous one
     * (complete, the staging folder was not yet in place) becomes the target again; with both, the previous one
     * (left by a crash while it was being deleted) is removed.
     *
     * @return whether there was anything to finish
     */
    public static boolean recover(Path target) throws IOException {
        Path previous = previousOf(target);
        if (!Files.exists(previous)) {
            return false;
        }
        if (Files.exists(target)) {
            deleteTree(previous);
        } else {
            Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.toAbsolutePath().getParent());
        }
        return true;
    }

    /** Deletes a folder and everything in it; nothing happens when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void syncTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.toList();
        }
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            } else if (Files.isDirectory(path)) {
                syncDirectory(path);
            }
        }
    }

    /** Makes a folder's entries (renames, new files) durable; skipped on Windows, which cannot open a folder this way. */
    private static void syncDirectory(Path directory) throws IOException {
        if (DIRECTORIES_CAN_BE_SYNCED) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}
