package org.tamer.routes.adapters.wfdb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tamer.routes.adapters.AdapterFiles;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;

/**
 * Reads a single-segment WFDB record ({@code .hea} plus its signal files in format 16 or 212) into an
 * {@link EcgRecord}. Lengths and checksums are checked against the header; the PTB diagnosis comments become the
 * report text. Local times in the header are taken in the configured zone.
 *
 * <p>Thread-safe.
 */
public final class WfdbReader {

    public static final String FORMAT = "WFDB";

    private final WfdbHeaderParser headerParser = new WfdbHeaderParser();
    private final WfdbSampleDecoder decoder = new WfdbSampleDecoder();
    private final WfdbSignalConverter converter = new WfdbSignalConverter();
    private final ZoneId zone;

    /** A reader taking header times as UTC. */
    public WfdbReader() {
        this(ZoneId.of("UTC"));
    }

    public WfdbReader(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * Reads the record whose header is {@code headerFile} ({@code .hea}; the extension may be omitted).
     *
     * @throws EcgFormatException naming the file, field and reason when anything is missing or inconsistent
     */
    public WfdbRecord read(Path headerFile) {
        Path header = headerFile.toString().endsWith(".hea") ? headerFile
                : headerFile.resolveSibling(headerFile.getFileName() + ".hea");
        WfdbHeader parsed = readHeader(header);
        Path directory = header.toAbsolutePath().getParent();
        int[][] adc = readSamples(parsed, directory, header.toString());
        EcgSignal signal = converter.toSignal(parsed, adc, header.toString());
        return new WfdbRecord(parsed, toRecord(parsed, signal, header.toString()));
    }

    /** Parses a header file. */
    public WfdbHeader readHeader(Path header) {
        return headerParser.parse(readText(header), header.toString());
    }

    /**
     * Builds the record around an already decoded signal (used by readers of other WFDB-described layouts).
     */
    public EcgRecord toRecord(WfdbHeader header, EcgSignal signal, String source) {
        WfdbComments comments = new WfdbComments(header.comments());
        Optional<OffsetDateTime> time = header.baseDate().or(comments::ecgDate)
                .map(date -> date.atTime(header.baseTime().orElse(LocalTime.MIDNIGHT)))
                .map(local -> local.atZone(zone).toOffsetDateTime());
        return new EcgRecord(header.recordName(), Optional.empty(), Optional.empty(), time, signal,
                comments.ptbDiagnosis(), SourceMetadata.of(FORMAT, source));
    }

    private int[][] readSamples(WfdbHeader header, Path directory, String source) {
        List<WfdbSignalSpec> specs = header.signals();
        Map<String, List<Integer>> signalsByFile = new LinkedHashMap<>();
        for (int s = 0; s < specs.size(); s++) {
            signalsByFile.computeIfAbsent(specs.get(s).fileName(), f -> new ArrayList<>()).add(s);
        }
        long frames = header.samplesPerSignal().orElse(-1L);
        int[][] adc = new int[specs.size()][];
        for (Map.Entry<String, List<Integer>> file : signalsByFile.entrySet()) {
            List<Integer> members = file.getValue();
            WfdbSignalSpec first = specs.get(members.get(0));
            for (int s : members) {
                WfdbSignalSpec spec = specs.get(s);
                if (spec.format() != first.format() || spec.byteOffset() != first.byteOffset()) {
                    throw new EcgFormatException(source, "signal " + (s + 1) + ": format",
                            "signals sharing file " + file.getKey() + " must share format and byte offset");
                }
            }
            Path dataFile = directory.resolve(file.getKey());
            byte[] data = readBytes(dataFile, source);
            int[][] decoded = decoder.decode(data, first.format(), members.size(), frames, first.byteOffset(),
                    dataFile.toString());
            for (int i = 0; i < members.size(); i++) {
                adc[members.get(i)] = decoded[i];
            }
        }
        int length = adc[0].length;
        for (int s = 1; s < adc.length; s++) {
            if (adc[s].length != length) {
                throw new EcgFormatException(source, "signal " + (s + 1), "signal files hold different numbers of "
                        + "samples (" + adc[s].length + " vs " + length + ") and the header gives none");
            }
        }
        return adc;
    }

    private static String readText(Path file) {
        return new String(AdapterFiles.readBytes(file, file.toString()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBytes(Path file, String referrer) {
        return AdapterFiles.readBytes(file, referrer);
    }
}
