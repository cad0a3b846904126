package org.tamer.routes.adapters.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
 * <p>The signal files a header names are read only through {@link WfdbSignalFiles}: from the header's own folder
 * for a record on disk ({@link #read(Path)}), from the bytes sent with it for an upload
 * ({@link #read(byte[], String, WfdbSignalFiles)}). Sizes are checked against {@link WfdbLimits} before reading.
 *
 * <p>Thread-safe.
 */
public final class WfdbReader {

    public static final String FORMAT = "WFDB";

    private final WfdbHeaderParser headerParser;
    private final WfdbSampleDecoder decoder = new WfdbSampleDecoder();
    private final WfdbSignalConverter converter = new WfdbSignalConverter();
    private final ZoneId zone;
    private final WfdbLimits limits;

    /** A reader taking header times as UTC, with the default limits. */
    public WfdbReader() {
        this(ZoneId.of("UTC"));
    }

    public WfdbReader(ZoneId zone) {
        this(zone, WfdbLimits.defaults());
    }

    public WfdbReader(ZoneId zone, WfdbLimits limits) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.headerParser = new WfdbHeaderParser(limits);
    }

    public WfdbLimits limits() {
        return limits;
    }

    /**
     * Reads the record whose header is {@code headerFile} ({@code .hea}; the extension may be omitted); its signal
     * files are read from the header's folder only.
     *
     * @throws EcgFormatException naming the file, field and reason when anything is missing or inconsistent
     */
    public WfdbRecord read(Path headerFile) {
        Path header = headerFile.toString().endsWith(".hea") ? headerFile
                : headerFile.resolveSibling(headerFile.getFileName() + ".hea");
        WfdbHeader parsed = readHeader(header);
        return read(parsed, header.toString(), new WfdbRecordFolder(header.toAbsolutePath().getParent(), limits));
    }

    /**
     * Reads a record from its header's bytes, with signal files only from {@code files}.
     *
     * @param source the header's name, for error messages
     */
    public WfdbRecord read(byte[] header, String source, WfdbSignalFiles files) {
        return read(parseHeader(header, source), source, files);
    }

    /** Reads a record from a parsed header, with signal files only from {@code files}. */
    public WfdbRecord read(WfdbHeader parsed, String source, WfdbSignalFiles files) {
        int[][] adc = readSamples(parsed, files, source);
        EcgSignal signal = converter.toSignal(parsed, adc, source);
        return new WfdbRecord(parsed, toRecord(parsed, signal, source));
    }

    /** Parses a header file: a regular file of at most the header limit. */
    public WfdbHeader readHeader(Path header) {
        String source = header.toString();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(header, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new EcgFormatException(source, "header", "file not found", e);
        } catch (IOException e) {
            throw new EcgFormatException(source, "header", "cannot read: " + e.getMessage(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new EcgFormatException(source, "header", "not a regular file; nothing was read");
        }
        if (attributes.size() > limits.maxHeaderBytes()) {
            throw new EcgFormatException(source, "header", "is " + attributes.size() + " bytes, over the limit of "
                    + limits.maxHeaderBytes() + " (" + WfdbLimits.MAX_HEADER_BYTES + ")");
        }
        return parseHeader(AdapterFiles.readBytes(header, source), source);
    }

    /** Parses a header's bytes (ISO-8859-1, as the WFDB library reads them). */
    public WfdbHeader parseHeader(byte[] header, String source) {
        if (header.length > limits.maxHeaderBytes()) {
            throw new EcgFormatException(source, "header", "is " + header.length + " bytes, over the limit of "
                    + limits.maxHeaderBytes() + " (" + WfdbLimits.MAX_HEADER_BYTES + ")");
        }
        return headerParser.parse(new String(header, StandardCharsets.ISO_8859_1), source);
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

    private int[][] readSamples(WfdbHeader header, WfdbSignalFiles files, String source) {
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
            long needed = WfdbSampleDecoder.bytesFor(first.format(), members.size(), frames, first.byteOffset());
            byte[] data = files.read(file.getKey(), needed, source);
            int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
            int[][] decoded = decoder.decode(data, first.format(), members.size(), frames, first.byteOffset(),
                    source.substring(0, slash + 1) + file.getKey());
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
}
