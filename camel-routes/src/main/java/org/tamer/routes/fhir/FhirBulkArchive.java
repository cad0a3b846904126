package org.tamer.routes.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirMappingException;
import org.tamer.routes.adapters.AdapterFiles;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * A FHIR Bulk Data export (a folder of {@code .ndjson} files, one R4 resource per line, as {@code $export} writes
 * them): every Observation with SampledData components is an ECG, and the text of a DiagnosticReport whose
 * {@code result} references it ({@code conclusion}, else a plain-text {@code presentedForm}) is its report, unless
 * the Observation carries its own note. Keys are {@code file#line} (line from 1), sorted by file; the lines are
 * indexed by byte offset once, so reading one ECG reads only its line. Other resource types are ignored.
 */
public final class FhirBulkArchive implements EcgArchive {

    private record Line(Path file, long start, long end) {
    }

    private final Path root;
    private final IParser parser;
    private final EcgFhirMapper mapper;
    private final Map<String, Line> waveforms = new LinkedHashMap<>();
    private final Map<String, String> reportByObservation = new HashMap<>();

    public FhirBulkArchive(Path root, FhirContext context, EcgFhirMapper mapper) {
        this.root = Objects.requireNonNull(root, "root");
        this.parser = Objects.requireNonNull(context, "context").newJsonParser();
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        List<Path> files = AdapterFiles.listFiles(root, p -> p.getFileName().toString().endsWith(".ndjson"));
        for (Path file : files) {
            index(file);
        }
    }

    /** An export read with the shared R4 context and the project's lead codes. */
    public static FhirBulkArchive of(Path root) {
        return new FhirBulkArchive(root, FhirContext.forR4Cached(),
                new EcgFhirMapper(new org.tamer.fhir.terminology.MdcLeadCodes()));
    }

    @Override
    public String layout() {
        return "FHIR Bulk Data NDJSON";
    }

    @Override
    public List<String> recordKeys() {
        return List.copyOf(waveforms.keySet());
    }

    @Override
    public EcgRecord read(String key) {
        Line line = waveforms.get(key);
        if (line == null) {
            throw new IllegalArgumentException("no waveform Observation " + key + " in " + root);
        }
        String where = line.file() + " (line " + key.substring(key.lastIndexOf('#') + 1) + ")";
        Observation observation;
        try {
            observation = parser.parseResource(Observation.class, text(line));
        } catch (DataFormatException e) {
            throw new EcgFormatException(where, "Observation", "not a valid FHIR R4 Observation: " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            // HAPI throws other unchecked exceptions on some malformed JSON (e.g. an empty property name)
            throw new EcgFormatException(where, "Observation", "not a valid FHIR R4 Observation: the parser failed ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        EcgRecord record;
        try {
            record = mapper.toRecord(observation);
        } catch (FhirMappingException e) {
            throw new EcgFormatException(where, e.path(), e.reason(), e);
        }
        String report = reportByObservation.get(observation.getIdElement().getIdPart());
        if (record.reportText().isEmpty() && report != null) {
            record = record.withReportText(report);
        }
        return record;
    }

    private void index(Path file) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        byte[] content = AdapterFiles.readBytes(file, root.toString());
        int lineNumber = 0;
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            int stop = end > start && content[end - 1] == '\r' ? end - 1 : end;
            if (stop > start) {
                classify(relative, lineNumber, file, content, start, stop);
            }
            start = end + 1;
        }
    }

    /** Waveform Observations are indexed unparsed (they are large); DiagnosticReports are parsed for their text. */
    private void classify(String relative, int lineNumber, Path file, byte[] content, int start, int stop) {
        String head = new String(content, start, Math.min(stop - start, 200), StandardCharsets.UTF_8);
        if (head.contains("\"resourceType\":\"Observation\"") || head.contains("\"resourceType\": \"Observation\"")) {
            if (contains(content, start, stop, "\"valueSampledData\"")) {
                waveforms.put(relative + "#" + lineNumber, new Line(file, start, stop));
            }
        } else if (head.contains("DiagnosticReport")) {
            Resource resource;
            try {
                resource = (Resource) parser.parseResource(new String(content, start, stop - start,
                        StandardCharsets.UTF_8));
            } catch (DataFormatException e) {
                throw new EcgFormatException(file + " (line " + lineNumber + ")", "DiagnosticReport",
                        "not valid FHIR R4 JSON: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new EcgFormatException(file + " (line " + lineNumber + ")", "DiagnosticReport",
                        "not valid FHIR R4 JSON: the parser failed (" + e.getClass().getSimpleName() + ")", e);
            }
            if (resource instanceof DiagnosticReport report) {
                String text = reportText(report);
                if (text != null) {
                    for (Reference result : report.getResult()) {
                        if (result.getReferenceElement().hasIdPart()) {
                            reportByObservation.put(result.getReferenceElement().getIdPart(), text);
                        }
                    }
                }
            }
        }
    }

    private static String reportText(DiagnosticReport report) {
        if (report.hasConclusion() && !report.getConclusion().isBlank()) {
            return report.getConclusion();
        }
        for (Attachment form : report.getPresentedForm()) {
            if (form.hasData() && form.getContentType() != null && form.getContentType().startsWith("text/plain")) {
                return new String(form.getData(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static boolean contains(byte[] content, int start, int stop, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = start; i <= stop - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (content[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String text(Line line) {
        return new String(AdapterFiles.readSpan(line.file(), line.start(), line.end()), StandardCharsets.UTF_8);
    }
}
