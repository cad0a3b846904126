package org.tamer.routes.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.EcgFileReader.Format;
import org.tamer.runtime.testdata.PtbXlRaw;
import org.tamer.runtime.testdata.SharedData;

class EcgFileReaderTest {

    private final EcgFileReader reader = new EcgFileReader();

    @Test
    void picksTheReaderByContentWhateverTheFileName(@TempDir Path dir) throws IOException {
        Map<String, Format> samples = Map.of(
                "formats/dicom-waveform_ecg.dcm", Format.DICOM,
                "formats/hl7-aecg-example.xml", Format.HL7_AECG,
                "formats/sierra/1_03/129DYPRG.XML", Format.PHILIPS_SIERRA,
                "formats/sierra/1_04_01/2020-5-18_15-48-11.xml", Format.PHILIPS_SIERRA);
        for (Map.Entry<String, Format> sample : samples.entrySet()) {
            Path renamed = dir.resolve("upload-" + Math.abs(sample.getKey().hashCode()) + ".bin");
            Files.copy(SharedData.file(sample.getKey()), renamed);
            assertEquals(sample.getValue(), reader.detect(Files.readAllBytes(renamed), renamed.toString()));
            assertEquals(12, reader.read(renamed).signal().leadCount(), sample.getKey());
        }
        Path muse = dir.resolve("muse.bin");
        Files.writeString(muse, org.tamer.routes.adapters.muse.MuseXmlReaderTestAccess.museXml(
                PtbXlRaw.millivolts(5, true)), StandardCharsets.UTF_8);
        assertEquals(12, reader.read(muse).signal().leadCount());
        assertEquals(12, reader.read(SharedData.ptbXlHeader(5, true)).signal().leadCount());

        Path unknown = dir.resolve("notes.txt");
        Files.writeString(unknown, "Patient felt palpitations.");
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(unknown));
        assertEquals("content", e.field());
    }
}
