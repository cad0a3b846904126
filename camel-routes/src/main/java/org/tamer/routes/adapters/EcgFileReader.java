package org.tamer.routes.adapters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.tamer.routes.adapters.aecg.AnnotatedEcgReader;
import org.tamer.routes.adapters.challenge.ChallengeRecordReader;
import org.tamer.routes.adapters.dicom.DicomWaveformReader;
import org.tamer.routes.adapters.mat.MatFileReader;
import org.tamer.routes.adapters.mat.MatLimits;
import org.tamer.routes.adapters.muse.MuseXmlReader;
import org.tamer.routes.adapters.sierra.SierraEcgReader;
import org.tamer.routes.adapters.wfdb.WfdbHeader;
import org.tamer.routes.adapters.wfdb.WfdbLimits;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.routes.adapters.wfdb.WfdbSignalFiles;
import org.tamer.routes.adapters.wfdb.WfdbZipBundle;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Reads a single ECG file of any supported hospital format, choosing the reader by the file's content (not its
 * name): DICOM by its {@code DICM} marker, the XML formats by their root element, a WFDB record sent as a zip of
 * its header and signal files by the zip marker, a WFDB header by its record line. Used for file and HTTP uploads
 * and by the dataset builder.
 *
 * <p>An uploaded file is self-contained: {@link #read(byte[], String)} never opens a file. A WFDB header sent
 * alone is refused with a message saying how to send it (a zip), whatever it names; a WFDB header in an archive
 * folder ({@link #read(Path)}) reads its signal files from its own folder only. The XML and DICOM readers check the
 * {@link DecoderLimits} given here; the WFDB and MAT readers their own {@link WfdbLimits} and {@link MatLimits}.
 */
public final class EcgFileReader {

    /** The formats that can be detected, in detection order. */
    public enum Format { DICOM, PHILIPS_SIERRA, HL7_AECG, GE_MUSE, WFDB_ZIP, WFDB, MAT }

    /** The answer to a WFDB header that came without its signal files. */
    public static final String WFDB_HOW_TO_SEND = "a WFDB header cannot be read alone: its signal files must come "
            + "in the same request. Send the header and its signal files together as one zip file "
            + "(Content-Type: application/zip), e.g. zip -j rec.zip rec.hea rec.dat && curl --data-binary @rec.zip "
            + "-H 'Content-Type: application/zip' 'https://GATEWAY/upload?name=rec.zip' (docs/gateway.md)";

    private static final Pattern RECORD_LINE = Pattern.compile("\\S+ +\\d+(?:[ \\t].*)?");
    private static final Pattern SIGNAL_LINE = Pattern.compile("\\S+ +\\d{1,4}(?:x\\d+)?(?::\\d+)?(?:\\+\\d+)?(?:[ \\t].*)?");

    private final SierraEcgReader sierra;
    private final AnnotatedEcgReader aecg;
    private final DicomWaveformReader dicom;
    private final MuseXmlReader muse;
    private final WfdbReader wfdb;
    private final ChallengeRecordReader challenge;
    private final WfdbZipBundle zip;

    /** A reader with the default limits. */
    public EcgFileReader() {
        this(DecoderLimits.defaults(), WfdbLimits.defaults(), MatLimits.defaults());
    }

    public EcgFileReader(WfdbLimits wfdbLimits, MatLimits matLimits) {
        this(DecoderLimits.defaults(), wfdbLimits, matLimits);
    }

    public EcgFileReader(DecoderLimits limits, WfdbLimits wfdbLimits, MatLimits matLimits) {
        Objects.requireNonNull(limits, "limits");
        this.sierra = new SierraEcgReader(limits);
        this.aecg = new AnnotatedEcgReader(limits);
        this.dicom = new DicomWaveformReader(limits);
        this.muse = new MuseXmlReader(limits);
        this.wfdb = new WfdbReader(java.time.ZoneId.of("UTC"), Objects.requireNonNull(wfdbLimits, "wfdbLimits"));
        this.challenge = new ChallengeRecordReader(wfdb, new MatFileReader(Objects.requireNonNull(matLimits,
                "matLimits")));
        this.zip = new WfdbZipBundle(wfdb);
    }

    /**
     * The format of a file's content.
     *
     * @throws EcgFormatException when no reader recognises it
     */
    public Format detect(byte[] content, String source) {
        if (DicomWaveformReader.accepts(content)) {
            return Format.DICOM;
        }
        if (WfdbZipBundle.accepts(content)) {
            return Format.WFDB_ZIP;
        }
        if (MatFileReader.isLevel5(content)) {
            return Format.MAT;
        }
        String head = head(content);
        if (SierraEcgReader.accepts(head)) {
            return Format.PHILIPS_SIERRA;
        }
        if (AnnotatedEcgReader.accepts(head)) {
            return Format.HL7_AECG;
        }
        if (MuseXmlReader.accepts(head)) {
            return Format.GE_MUSE;
        }
        if (looksLikeWfdbHeader(head, source)) {
            return Format.WFDB;
        }
        throw new EcgFormatException(source, "content", "not a recognised ECG format (" + List.of(Format.values())
                + ")");
    }

    /**
     * Reads an uploaded file from its bytes alone, choosing the reader by content; nothing else is opened.
     *
     * @param source the file's name as the sender gave it, for error messages
     */
    public EcgRecord read(byte[] content, String source) {
        return switch (detect(content, source)) {
            case DICOM -> dicom.read(content, source);
            case PHILIPS_SIERRA -> sierra.read(content, source);
            case HL7_AECG -> aecg.read(content, source);
            case GE_MUSE -> muse.read(content, source);
            case WFDB_ZIP -> readZip(content, source);
            case WFDB -> throw new EcgFormatException(source, "signal files", WFDB_HOW_TO_SEND);
            case MAT -> throw new EcgFormatException(source, "content", "a MAT-file alone has no sampling rate or "
                    + "lead names: send a Challenge record as a zip of its WFDB header and MAT-file, read a CPSC2018 "
                    + "folder (MAT-files with REFERENCE.csv) with its archive reader");
        };
    }

    /**
     * Reads a file in an archive folder, choosing the reader by content; a WFDB header reads its signal files from
     * its own folder only.
     */
    public EcgRecord read(Path file) {
        String source = file.toString();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new EcgFormatException(source, "file", "not found", e);
        } catch (IOException e) {
            throw new EcgFormatException(source, "file", "cannot read: " + e.getMessage(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new EcgFormatException(source, "file", "not a regular file; nothing was read");
        }
        long limit = wfdb.limits().maxSignalFileBytes();
        if (attributes.size() > limit) {
            throw new EcgFormatException(source, "file", "is " + attributes.size() + " bytes, over the limit of "
                    + limit + " (" + WfdbLimits.MAX_SIGNAL_FILE_BYTES + ")");
        }
        byte[] content = AdapterFiles.readBytes(file, source);
        if (detect(content, source) == Format.WFDB) {
            WfdbHeader header = wfdb.parseHeader(content, source);
            return ChallengeRecordReader.isChallengeLayout(header) ? challenge.read(file).ecg() : wfdb.read(file).ecg();
        }
        return read(content, source);
    }

    private EcgRecord readZip(byte[] content, String source) {
        WfdbZipBundle.Contents record = zip.open(content, source);
        WfdbSignalFiles files = record.signalFiles();
        return ChallengeRecordReader.isChallengeLayout(record.header())
                ? challenge.read(record.header(), record.source(), files).ecg()
                : wfdb.read(record.header(), record.source(), files).ecg();
    }

    /** A record line first (after comments) and a signal line after it, or a {@code .hea} name. */
    private static boolean looksLikeWfdbHeader(String head, String source) {
        List<String> lines = head.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .limit(2).toList();
        if (lines.isEmpty() || !RECORD_LINE.matcher(lines.get(0)).matches()) {
            return false;
        }
        return source.endsWith(".hea") || (lines.size() == 2 && SIGNAL_LINE.matcher(lines.get(1)).matches());
    }

    /** The first 4 KiB as text, decoding UTF-16 when a byte-order mark says so. */
    private static String head(byte[] content) {
        int n = Math.min(content.length, 4096);
        if (n >= 2 && (content[0] == (byte) 0xFF && content[1] == (byte) 0xFE)) {
            return new String(content, 2, n - 2, StandardCharsets.UTF_16LE);
        }
        if (n >= 2 && (content[0] == (byte) 0xFE && content[1] == (byte) 0xFF)) {
            return new String(content, 2, n - 2, StandardCharsets.UTF_16BE);
        }
        return new String(content, 0, n, StandardCharsets.ISO_8859_1);
    }
}
