package org.tamer.routes.adapters.challenge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tamer.routes.adapters.mat.MatFileWriter;
import org.tamer.runtime.testdata.SharedData;

/**
 * Writes real PTB-XL records in the PhysioNet/CinC Challenge 2020 layout: {@code NAME.mat} (level 4, int16
 * {@code val}, leads × samples, as {@code wfdb2mat} writes it) and {@code NAME.hea} whose record line ends with a
 * given base time/date form and whose signal lines name the MAT-file, followed by the given comment lines
 * ({@code #Age}, {@code #Sex}, {@code #Dx}, …). No Challenge file ships with the shared data.
 */
public final class ChallengeLayoutWriter {

    private ChallengeLayoutWriter() {
    }

    /**
     * @param recordLineTail what follows the number of samples on the record line, e.g. {@code 05-May-2020 14:50:55}
     * @param comments       comment lines without {@code #}
     */
    public static void write(Path dir, String name, int ptbXlId, String recordLineTail, List<String> comments)
            throws IOException {
        Path source = SharedData.ptbXlHeader(ptbXlId, true);
        Files.write(dir.resolve(name + ".mat"), MatFileWriter.level4("val", adc(ptbXlId)));
        List<String> original = Files.readAllLines(source);
        List<String> lines = new ArrayList<>();
        String recordLine = original.get(0).replaceFirst("^\\S+", name).strip();
        lines.add(recordLineTail.isEmpty() ? recordLine : recordLine + " " + recordLineTail);
        for (String line : original.subList(1, 13)) {
            lines.add(line.replaceFirst("^\\S+ 16", name + ".mat 16+24"));
        }
        comments.forEach(c -> lines.add("#" + c));
        Files.write(dir.resolve(name + ".hea"), lines);
    }

    /** The ADC values of a PTB-XL 500 Hz record, leads × samples, decoded from its format-16 file. */
    public static short[][] adc(int ptbXlId) throws IOException {
        Path source = SharedData.ptbXlHeader(ptbXlId, true);
        byte[] dat = Files.readAllBytes(source.resolveSibling(source.getFileName().toString().replace(".hea",
                ".dat")));
        short[][] val = new short[12][dat.length / 24];
        for (int t = 0; t < val[0].length; t++) {
            for (int lead = 0; lead < 12; lead++) {
                int p = (t * 12 + lead) * 2;
                val[lead][t] = (short) ((dat[p] & 0xff) | (dat[p + 1] << 8));
            }
        }
        return val;
    }
}
