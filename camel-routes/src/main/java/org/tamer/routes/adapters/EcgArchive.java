package org.tamer.routes.adapters;

import java.util.List;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * A collection of ECG records on disk (a research or hospital archive) read through the adapters. Keys are
 * stable and ordered, so that a dataset built twice from the same archive is the same.
 */
public interface EcgArchive {

    /** A short name of the archive layout, e.g. {@code PTB-XL}. */
    String layout();

    /** The keys of all records, in a stable order. */
    List<String> recordKeys();

    /**
     * Reads one record.
     *
     * @throws EcgFormatException naming the file, field and reason when the record cannot be read completely
     */
    EcgRecord read(String key);

    /**
     * The diagnoses the archive itself attaches to a record (Challenge {@code #Dx} SNOMED CT codes, CPSC2018
     * {@code REFERENCE.csv} classes), read without the signal; none for archives without labels.
     *
     * @throws EcgFormatException when the record's labels cannot be read
     */
    default ArchiveLabels labels(String key) {
        return ArchiveLabels.none();
    }
}
