package org.tamer.routes.adapters.wfdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.tamer.routes.adapters.ArchiveLabels;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.challenge.ChallengeRecordReader;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Every WFDB record below a folder (any depth), keyed by its header's path relative to the folder without
 * {@code .hea}, in sorted order. Records whose signals are MAT-files (Challenge 2020/2021, CPSC2018) are read with
 * {@link ChallengeRecordReader}, the others with {@link WfdbReader}.
 */
public final class WfdbDirectoryArchive implements EcgArchive {

    public static final String LAYOUT = "WFDB directory";

    private final Path root;
    private final List<String> keys;
    private final Set<String> keySet;
    private final WfdbReader wfdb = new WfdbReader();
    private final ChallengeRecordReader challenge = new ChallengeRecordReader();

    public WfdbDirectoryArchive(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new EcgFormatException(root.toString(), "folder", "not a directory");
        }
        try (Stream<Path> files = Files.walk(root)) {
            this.keys = files.filter(p -> p.getFileName().toString().endsWith(".hea"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .map(name -> name.substring(0, name.length() - ".hea".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        this.keySet = Set.copyOf(keys);
    }

    @Override
    public String layout() {
        return LAYOUT;
    }

    @Override
    public List<String> recordKeys() {
        return keys;
    }

    @Override
    public EcgRecord read(String key) {
        return readWithHeader(key).ecg();
    }

    /** The record's {@code #Dx:} SNOMED CT codes (Challenge 2020/2021 headers), read from its header only. */
    @Override
    public ArchiveLabels labels(String key) {
        if (!keySet.contains(key)) {
            throw new EcgFormatException(root.toString(), "record", "no record '" + key + "' in this folder");
        }
        WfdbHeader header = wfdb.readHeader(root.resolve(key + ".hea"));
        return new ArchiveLabels(ArchiveLabels.SNOMED_CT, new WfdbComments(header.comments()).diagnosisCodes());
    }

    /** Reads a record together with its header (for the {@code #Dx:} labels of Challenge records). */
    public WfdbRecord readWithHeader(String key) {
        if (!keySet.contains(key)) {
            throw new EcgFormatException(root.toString(), "record", "no record '" + key + "' in this folder");
        }
        Path header = root.resolve(key + ".hea");
        WfdbHeader parsed = wfdb.readHeader(header);
        return ChallengeRecordReader.isChallengeLayout(parsed) ? challenge.read(header) : wfdb.read(header);
    }
}
