package org.tamer.routes.adapters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reading the files an adapter needs, with failures reported as {@link EcgFormatException}. */
public final class AdapterFiles {

    private AdapterFiles() {
    }

    /**
     * Reads a whole file.
     *
     * @param referrer the file or message that pointed to it, named in the error
     */
    public static byte[] readBytes(Path file, String referrer) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EcgFormatException(referrer, file.getFileName().toString(), "file not found: " + file, e);
        } catch (IOException e) {
            throw new EcgFormatException(referrer, file.getFileName().toString(), "cannot read " + file + ": " + e,
                    e);
        }
    }

    /** The regular files below {@code root} that {@code wanted} accepts, sorted by path. */
    public static List<Path> listFiles(Path root, Predicate<Path> wanted) {
        if (!Files.isDirectory(root)) {
            throw new EcgFormatException(root.toString(), "folder", "not a directory");
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(wanted).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** Bytes {@code start} (inclusive) to {@code end} (exclusive) of a file, without reading what comes before. */
    public static byte[] readSpan(Path file, long start, long end) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(end - start));
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, start + bytes.position()) < 0) {
                    throw new EcgFormatException(file.toString(), "bytes " + start + "-" + end, "the file ended at "
                            + (start + bytes.position()) + "; it changed after it was indexed");
                }
            }
            return bytes.array();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
