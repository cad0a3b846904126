package org.tamer.routes.adapters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * A folder of single-file ECG exports in any format {@link EcgFileReader} detects (Philips Sierra, HL7 aECG,
 * DICOM, GE MUSE, WFDB headers), keyed by path relative to the folder in sorted order. Files of other kinds
 * (notes, signal files beside WFDB headers) are listed and fail on reading with a clear reason, so the dataset
 * builder counts them instead of losing them silently.
 */
public final class EcgFileArchive implements EcgArchive {

    private final Path root;
    private final List<String> keys;
    private final EcgFileReader reader = new EcgFileReader();

    public EcgFileArchive(Path root) {
        this.root = root;
        if (!Files.isDirectory(root)) {
            throw new EcgFormatException(root.toString(), "folder", "not a directory");
        }
        try (Stream<Path> files = Files.walk(root)) {
            keys = files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".dat")
                            && !p.getFileName().toString().endsWith(".mat"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    @Override
    public String layout() {
        return "ECG files";
    }

    @Override
    public List<String> recordKeys() {
        return keys;
    }

    @Override
    public EcgRecord read(String key) {
        return reader.read(root.resolve(key));
    }
}
