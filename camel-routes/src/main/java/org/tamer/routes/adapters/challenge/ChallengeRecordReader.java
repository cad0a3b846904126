package org.tamer.routes.adapters.challenge;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.mat.MatFileReader;
import org.tamer.routes.adapters.mat.MatMatrix;
import org.tamer.routes.adapters.wfdb.WfdbHeader;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.routes.adapters.wfdb.WfdbRecord;
import org.tamer.routes.adapters.wfdb.WfdbRecordFolder;
import org.tamer.routes.adapters.wfdb.WfdbSampleDecoder;
import org.tamer.routes.adapters.wfdb.WfdbSignalConverter;
import org.tamer.routes.adapters.wfdb.WfdbSignalFiles;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;

/**
 * Reads a record in the PhysioNet/CinC Challenge 2020/2021 layout (also used for CPSC2018 there): a WFDB header
 * whose signal file is a MAT-file holding the ADC values as the variable {@code val} (leads × samples). Gains,
 * baselines and checksums come from the header; {@code #Dx:} SNOMED CT codes stay available through
 * {@link WfdbRecord#comments()}.
 */
public final class ChallengeRecordReader {

    public static final String FORMAT = "PhysioNet Challenge";
    public static final String VARIABLE = "val";

    private final WfdbReader wfdb;
    private final MatFileReader mat;
    private final WfdbSignalConverter converter = new WfdbSignalConverter();

    /** A reader with the default limits. */
    public ChallengeRecordReader() {
        this(new WfdbReader(), new MatFileReader());
    }

    public ChallengeRecordReader(WfdbReader wfdb, MatFileReader mat) {
        this.wfdb = Objects.requireNonNull(wfdb, "wfdb");
        this.mat = Objects.requireNonNull(mat, "mat");
    }

    /** Whether a parsed header points at a MAT-file, i.e. is in this layout. */
    public static boolean isChallengeLayout(WfdbHeader header) {
        return header.signals().stream().allMatch(s -> s.fileName().endsWith(".mat"));
    }

    /** Reads a record on disk; its MAT-file is read from the header's folder only. */
    public WfdbRecord read(Path headerFile) {
        return read(wfdb.readHeader(headerFile), headerFile.toString(),
                new WfdbRecordFolder(headerFile.toAbsolutePath().getParent(), wfdb.limits()));
    }

    /** Reads a record from its parsed header, with the MAT-file only from {@code files}. */
    public WfdbRecord read(WfdbHeader header, String source, WfdbSignalFiles files) {
        if (!isChallengeLayout(header)) {
            throw new EcgFormatException(source, "signal file", "not a MAT-file record; read it with WfdbReader");
        }
        String matName = header.signals().get(0).fileName();
        if (header.signals().stream().anyMatch(s -> !s.fileName().equals(matName))) {
            throw new EcgFormatException(source, "signal file", "all signals must be in one MAT-file");
        }
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        String matFile = source.substring(0, slash + 1) + matName;
        Map<String, MatMatrix> variables = mat.read(files.read(matName, -1, source), matFile);
        MatMatrix val = variables.get(VARIABLE);
        if (val == null && variables.size() == 1) {
            val = variables.values().iterator().next();
        }
        if (val == null) {
            throw new EcgFormatException(matFile, "variable '" + VARIABLE + "'",
                    "not found; the file holds " + variables.keySet());
        }
        int leads = header.signals().size();
        boolean leadsInRows = val.rows() == leads;
        if (!leadsInRows && val.columns() != leads) {
            throw new EcgFormatException(matFile, "variable '" + val.name() + "'", "is " + val.rows()
                    + " x " + val.columns() + " but the header describes " + leads + " signals");
        }
        int samples = leadsInRows ? val.columns() : val.rows();
        int[][] adc = new int[leads][samples];
        for (int lead = 0; lead < leads; lead++) {
            for (int t = 0; t < samples; t++) {
                double v = leadsInRows ? val.get(lead, t) : val.get(t, lead);
                if (Double.isNaN(v)) {
                    adc[lead][t] = WfdbSampleDecoder.MISSING;
                } else if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                    throw new EcgFormatException(matFile, "variable '" + val.name() + "' lead " + (lead + 1)
                            + " sample " + t, "value " + v + " is not an ADC integer");
                } else {
                    adc[lead][t] = (int) v;
                }
            }
        }
        EcgSignal signal = converter.toSignal(header, adc, source);
        EcgRecord ecg = wfdb.toRecord(header, signal, source);
        return new WfdbRecord(header, new EcgRecord(ecg.id(), ecg.subjectReference(), ecg.encounterReference(),
                ecg.acquisitionTime(), ecg.signal(), ecg.reportText(),
                new SourceMetadata(FORMAT, ecg.source().file(), ecg.source().device())));
    }
}
