package org.tamer.routes.adapters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.tamer.routes.adapters.aecg.AnnotatedEcgReader;
import org.tamer.routes.adapters.dicom.DicomWaveformReader;
import org.tamer.routes.adapters.muse.MuseXmlReader;
import org.tamer.routes.adapters.sierra.SierraEcgReader;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Reads a single ECG file of any supported hospital format, choosing the reader by the file's content (not its
 * name): DICOM by its {@code DICM} marker, the XML formats by their root element, WFDB by its header. Used for
 * file and HTTP uploads and by the dataset builder.
 */
public final class EcgFileReader {

    /** The formats that can be detected, in detection order. */
    public enum Format { DICOM, PHILIPS_SIERRA, HL7_AECG, GE_MUSE, WFDB }

    private final SierraEcgReader sierra = new SierraEcgReader();
    private final AnnotatedEcgReader aecg = new AnnotatedEcgReader();
    private final DicomWaveformReader dicom = new DicomWaveformReader();
    private final MuseXmlReader muse = new MuseXmlReader();
    private final WfdbReader wfdb = new WfdbReader();

    /**
     * The format of a file's content.
     *
     * @throws EcgFormatException when no reader recognises it
     */
    public Format detect(byte[] content, String source) {
        if (DicomWaveformReader.accepts(content)) {
            return Format.DICOM;
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
        if (head.matches("(?s)\\s*\\S+ \\d+[\\s\\S]*") && source.endsWith(".hea")) {
            return Format.WFDB;
        }
        throw new EcgFormatException(source, "content", "not a recognised ECG format (" + List.of(Format.values())
                + ")");
    }

    /** Reads a file, choosing the reader by content. */
    public EcgRecord read(Path file) {
        byte[] content = AdapterFiles.readBytes(file, file.toString());
        String source = file.toString();
        return switch (detect(content, source)) {
            case DICOM -> dicom.read(content, source);
            case PHILIPS_SIERRA -> sierra.read(content, source);
            case HL7_AECG -> aecg.read(content, source);
            case GE_MUSE -> muse.read(content, source);
            case WFDB -> wfdb.read(file).ecg();
        };
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
