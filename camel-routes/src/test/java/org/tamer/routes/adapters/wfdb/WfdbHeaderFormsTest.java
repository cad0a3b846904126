package org.tamer.routes.adapters.wfdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.challenge.ChallengeLayoutWriter;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.testdata.SharedData;

/**
 * The record line's base time and date in every form of the WFDB specification and the forms PhysioNet's tools and
 * challenges wrote, on real PTB-XL records written in the Challenge 2020 layout; an unreadable optional field is a
 * warning, never a rejection.
 */
class WfdbHeaderFormsTest {

    private record Form(String tail, Optional<LocalTime> time, Optional<LocalDate> date, int warnings) {
    }

    private static final List<Form> FORMS = List.of(
            // Challenge 2020 (CPSC2018, Georgia, PTB-XL as distributed there): date first, month abbreviated
            new Form("05-May-2020 14:50:55", Optional.of(LocalTime.of(14, 50, 55)),
                    Optional.of(LocalDate.of(2020, 5, 5)), 0),
            // the specification: HH:MM:SS DD/MM/YYYY
            new Form("14:50:55 05/05/2020", Optional.of(LocalTime.of(14, 50, 55)),
                    Optional.of(LocalDate.of(2020, 5, 5)), 0),
            new Form("9:05:01.250 1/12/1999", Optional.of(LocalTime.of(9, 5, 1, 250_000_000)),
                    Optional.of(LocalDate.of(1999, 12, 1)), 0),
            new Form("50:55", Optional.of(LocalTime.of(0, 50, 55)), Optional.empty(), 0),
            new Form("2020-05-05", Optional.empty(), Optional.of(LocalDate.of(2020, 5, 5)), 0),
            new Form("", Optional.empty(), Optional.empty(), 0),
            // impossible values: warnings, the record is still read
            new Form("25:61:00 31/02/2020", Optional.empty(), Optional.empty(), 2),
            new Form("05-Mai-2020 morning", Optional.empty(), Optional.empty(), 2));

    @Test
    void readsEveryBaseTimeAndDateFormOnRealRecordsInTheChallengeLayout(@TempDir Path dir) throws IOException {
        List<String> comments = List.of("Age: 56", "Sex: Female", "Dx: 164889003,59118001", "Rx: Unknown",
                "Hx: Unknown", "Sx: Unknown");
        for (int i = 0; i < FORMS.size(); i++) {
            ChallengeLayoutWriter.write(dir, String.format("A%04d", i + 1), 10 + i, FORMS.get(i).tail(), comments);
        }
        WfdbDirectoryArchive archive = new WfdbDirectoryArchive(dir);
        for (int i = 0; i < FORMS.size(); i++) {
            Form form = FORMS.get(i);
            WfdbRecord record = archive.readWithHeader(String.format("A%04d", i + 1));
            String what = "'" + form.tail() + "'";
            assertEquals(form.time(), record.header().baseTime(), what);
            assertEquals(form.date(), record.header().baseDate(), what);
            assertEquals(form.warnings(), record.header().warnings().size(), what + " " + record.header().warnings());
            EcgSignal original = new WfdbReader().read(SharedData.ptbXlHeader(10 + i, true)).ecg().signal();
            assertEquals(original, record.ecg().signal(), what);
            assertEquals(List.of("164889003", "59118001"), record.comments().diagnosisCodes());
            assertEquals(Optional.of(56), record.comments().age());
            assertEquals(Optional.of("Female"), record.comments().field("Sex"));
        }
        assertEquals(Optional.of(OffsetDateTime.parse("2020-05-05T14:50:55Z")),
                archive.read("A0001").acquisitionTime());
    }

    @Test
    void everyRealHeaderOfTheSharedDataParsesWithoutAWarning() throws IOException {
        WfdbHeaderParser parser = new WfdbHeaderParser();
        List<Path> headers = new java.util.ArrayList<>();
        for (int id : SharedData.ptbXlIds()) {
            headers.add(SharedData.ptbXlHeader(id, true));
            headers.add(SharedData.ptbXlHeader(id, false));
        }
        headers.add(SharedData.file("formats/wfdb-ptb/s0010_re.hea"));
        for (Path header : headers) {
            WfdbHeader parsed = parser.parse(java.nio.file.Files.readString(header,
                    java.nio.charset.StandardCharsets.ISO_8859_1), header.toString());
            assertEquals(List.of(), parsed.warnings(), header.toString());
            assertTrue(parsed.signals().size() == 12 || parsed.signals().size() == 15, header.toString());
        }
    }

    @Test
    void optionalSignalFieldsThatDoNotParseAreWarnings() {
        String header = "rec 2 500/1000(0) 3\n"
                + "rec.dat 16 200(0)/mV 12 0 7 x 0 I\n"
                + "rec.dat 16 200/mV twelve 0 -3 12 zero II\n"
                + "# an info string\n";
        WfdbHeader parsed = new WfdbHeaderParser().parse(header, "rec.hea");
        assertEquals(500.0, parsed.samplingRateHz());
        assertEquals(Optional.empty(), parsed.signals().get(0).checksum());
        assertEquals(Optional.of(7), parsed.signals().get(0).initialValue());
        assertEquals(12, parsed.signals().get(1).adcResolution(), "the default when unreadable");
        assertEquals("II", parsed.signals().get(1).description());
        assertEquals(List.of("signal 1: checksum 'x' is not an integer and was ignored",
                "signal 2: ADC resolution 'twelve' is not an integer and was ignored",
                "signal 2: block size 'zero' is not an integer and was ignored"), parsed.warnings());
        assertEquals(List.of("an info string"), parsed.comments());
        WfdbHeader counter = new WfdbHeaderParser().parse("rec 1 360/abc(x)\nrec.dat 16\n", "rec.hea");
        assertEquals(2, counter.warnings().size(), counter.warnings().toString());
        assertTrue(counter.warnings().get(0).startsWith("record line: counter frequency 'abc'"));
    }
}
