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
 * DICOM, GE MUSE, WFDB headers), keyed by path relative to the folder in sorted order. Every other regular file
 * is listed too and fails on reading with its reason (notes, a MAT-file or signal file without a header of the same
 * name beside it, a CPSC2018 MAT-file), so the dataset builder lists it in {@code skipped.tsv} instead of losing it
 * silently; only the signal files ({@code .dat}, {@code .mat}) of a WFDB header beside them are not listed, as they
 * are read with their header.
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
            keys = files.filter(Files::isRegularFile).filter(p -> !isSignalFileOfAHeader(p))
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
        if (isSignalFile(key)) {
            throw new EcgFormatException(root.resolve(key).toString(), "file", "a signal file (" + extension(key)
                    + ") without a WFDB header of the same name beside it; a CPSC2018 folder of MAT-files with "
                    + "REFERENCE.csv is read with --source cpsc2018");
        }
        return reader.read(root.resolve(key));
    }

    private static boolean isSignalFile(String name) {
        return name.endsWith(".dat") || name.endsWith(".mat");
    }

    private static String extension(String name) {
        return name.substring(name.lastIndexOf('.'));
    }

    /** A {@code .dat}/{@code .mat} file with a {@code .hea} of the same base name in the same folder. */
    private static boolean isSignalFileOfAHeader(Path file) {
        String name = file.getFileName().toString();
        if (!isSignalFile(name)) {
            return false;
        }
        return Files.isRegularFile(file.resolveSibling(name.substring(0, name.length() - 4) + ".hea"));
    }
}
