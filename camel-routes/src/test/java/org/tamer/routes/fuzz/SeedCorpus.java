package org.tamer.routes.fuzz;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.mat.MatFileWriter;
import org.tamer.routes.adapters.muse.MuseXmlReaderTestAccess;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.PtbXlRaw;
import org.tamer.runtime.testdata.SharedData;

/**
 * Writes the fuzz targets' seed inputs into their Jazzer input folders under src/test/resources, from the real data
 * in ../shared/data: the real files where the format has a public sample, and PTB-XL record 1 (100 Hz, 10 s)
 * written in the layout where it has none (GE MUSE, MAT, HL7 v2, FHIR, a WFDB zip).
 * Run its main with the test class path and {@code -Dtamer.data.dir} to regenerate them; the crash inputs Jazzer
 * adds beside them are kept.
 */
public final class SeedCorpus {

    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 6, 2, 0, 0, 0, ZoneOffset.UTC);

    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path resources = Path.of(args.length > 0 ? args[0] : "camel-routes/src/test/resources/org/tamer/routes/fuzz");
        Path formats = SharedData.file("formats");
        copy(formats.resolve("sierra/1_03/129DYPRG.XML"),
                resources.resolve("SierraFuzzTestInputs/read/sierra-1_03.xml"));
        copy(formats.resolve("sierra/deid_3.xml"), resources.resolve("SierraFuzzTestInputs/read/sierra-deid_3.xml"));
        copy(formats.resolve("dicom-waveform_ecg.dcm"), resources.resolve("DicomFuzzTestInputs/read/ecg.dcm"));
        copy(formats.resolve("hl7-aecg-example.xml"), resources.resolve("AnnotatedEcgFuzzTestInputs/read/aecg.xml"));

        float[][] mv = PtbXlRaw.millivolts(1, false);
        write(resources.resolve("MuseFuzzTestInputs/read/ptbxl-1.xml"),
                MuseXmlReaderTestAccess.museXml(mv).getBytes(StandardCharsets.UTF_8));

        short[][] adc = new short[mv.length][mv[0].length];
        for (int l = 0; l < mv.length; l++) {
            for (int t = 0; t < mv[l].length; t++) {
                adc[l][t] = (short) Math.round(mv[l][t] * 1000);
            }
        }
        Path mat = resources.resolve("MatFuzzTestInputs/read");
        write(mat.resolve("ptbxl-1-level4.mat"), MatFileWriter.level4("val", adc));
        write(mat.resolve("ptbxl-1-level5-compressed.mat"), MatFileWriter.level5("val", adc, true,
                ByteOrder.LITTLE_ENDIAN));
        write(mat.resolve("ptbxl-1-level5-big-endian.mat"), MatFileWriter.level5("val", adc, false,
                ByteOrder.BIG_ENDIAN));

        Path ptbxl = SharedData.ptbXl();
        Path wfdb = resources.resolve("WfdbFuzzTestInputs/read");
        Path header = ptbxl.resolve("records100/00000/00001_lr.hea");
        copy(header, wfdb.resolve("00001_lr.hea"));
        copy(formats.resolve("wfdb-ptb/s0010_re.hea"), wfdb.resolve("s0010_re.hea"));
        write(wfdb.resolve("00001_lr.zip"), zip(header, ptbxl.resolve("records100/00000/00001_lr.dat")));

        EcgRecord record = new PtbXlArchive(ptbxl, false, ReportLanguage.ENGLISH_STATEMENTS).read("1");
        Path hl7 = resources.resolve("Hl7WaveformFuzzTestInputs/readAndAcknowledge");
        for (WaveformStyle style : WaveformStyle.values()) {
            Hl7WaveformWriter writer = new Hl7WaveformWriter(style, "2.5.1", WaveformScale.MICROVOLT, "CART",
                    "WARD7");
            write(hl7.resolve("ptbxl-1-" + style.name().toLowerCase() + ".hl7"),
                    writer.write(record, "MSG-" + style.ordinal(), SENT).getBytes(StandardCharsets.ISO_8859_1));
        }
        write(hl7.resolve("ptbxl-1-enhanced-2.3.hl7"), new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.3",
                WaveformScale.MICROVOLT, "CART", "WARD7").withAcknowledgementTypes("AL", "ER")
                .write(record, "MSG-E", SENT).getBytes(StandardCharsets.ISO_8859_1));

        FhirContext fhir = FhirContext.forR4Cached();
        EcgFhirMapper mapper = new EcgFhirMapper(new MdcLeadCodes());
        Path fhirSeeds = resources.resolve("FhirWaveformFuzzTestInputs/readAndMap");
        write(fhirSeeds.resolve("ptbxl-1-observation.json"), fhir.newJsonParser()
                .encodeResourceToString(mapper.toObservation(record)).getBytes(StandardCharsets.UTF_8));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.addEntry().setResource(mapper.toObservation(record));
        bundle.addEntry().setResource(new DiagnosticReport().setConclusion(record.reportText().orElse("normal ECG")));
        write(fhirSeeds.resolve("ptbxl-1-bundle.xml"), fhir.newXmlParser().encodeResourceToString(bundle)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] zip(Path... files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(file.getFileName().toString());
                entry.setTime(SENT.toInstant().toEpochMilli()); // the same bytes on every regeneration
                zip.putNextEntry(entry);
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void copy(Path from, Path to) throws IOException {
        write(to, Files.readAllBytes(from));
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
