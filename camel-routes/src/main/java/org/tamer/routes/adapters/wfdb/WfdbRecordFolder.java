package org.tamer.routes.adapters.wfdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * The folder of a record in an archive: a header's signal files are read only from inside it. A name must be
 * relative without {@code ..} ({@link WfdbSignalFiles#isConfinedName}); the file must be a regular file (not a
 * FIFO, device or folder) whose real path, links resolved, stays inside the folder; its size is checked against
 * the limit before anything is read, and only the bytes the header needs are read.
 */
public final class WfdbRecordFolder implements WfdbSignalFiles {

    private final Path folder;
    private final WfdbLimits limits;

    public WfdbRecordFolder(Path folder, WfdbLimits limits) {
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public byte[] read(String name, long neededBytes, String referrer) {
        if (!WfdbSignalFiles.isConfinedName(name)) {
            throw WfdbSignalFiles.notConfined(referrer, "signal file");
        }
        Path file = folder.resolve(name).normalize();
        if (!file.startsWith(folder)) {
            throw WfdbSignalFiles.notConfined(referrer, "signal file");
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = file.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw new EcgFormatException(referrer, name, "links out of the record's folder; nothing was read");
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new EcgFormatException(referrer, name, "file not found in the record's folder", e);
        } catch (IOException e) {
            throw new EcgFormatException(referrer, name, "cannot read the file's attributes: " + e.getMessage(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new EcgFormatException(referrer, name, "not a regular file; nothing was read");
        }
        long size = attributes.size();
        long wanted = neededBytes < 0 ? size : Math.min(size, neededBytes);
        WfdbSignalFiles.checkSize(wanted, limits, referrer, name);
        return readPrefix(real, (int) wanted, referrer, name);
    }

    private static byte[] readPrefix(Path file, int bytes, String referrer, String name) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new EcgFormatException(referrer, name, "the file ended at byte " + buffer.position()
                            + " while being read; it changed on disk");
                }
            }
            return buffer.array();
        } catch (IOException e) {
            throw new EcgFormatException(referrer, name, "cannot read: " + e.getMessage(), e);
        }
    }
}
