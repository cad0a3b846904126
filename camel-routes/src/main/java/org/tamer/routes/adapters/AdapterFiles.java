package org.tamer.routes.adapters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
}
