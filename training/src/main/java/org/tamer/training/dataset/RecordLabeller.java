package org.tamer.training.dataset;

import java.util.List;
import java.util.Objects;
import org.tamer.routes.adapters.EcgArchive;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.training.labels.LabelFile;
import org.tamer.training.labels.SnomedClassMap;

/** Where the class labels of an archive's records come from. */
public interface RecordLabeller {

    /** The record's classes (empty when none are known). */
    List<String> labels(String key, EcgRecord record, EcgArchive archive);

    /** A short description for the manifest. */
    String describe();

    /** No labels (a pre-training archive). */
    static RecordLabeller none() {
        return new RecordLabeller() {
            @Override
            public List<String> labels(String key, EcgRecord record, EcgArchive archive) {
                return List.of();
            }

            @Override
            public String describe() {
                return "none";
            }
        };
    }

    /** The archive's own labels (Challenge {@code #Dx} SNOMED CT codes, CPSC2018 classes) mapped to classes. */
    static RecordLabeller fromArchive(SnomedClassMap map) {
        Objects.requireNonNull(map, "map");
        return new RecordLabeller() {
            @Override
            public List<String> labels(String key, EcgRecord record, EcgArchive archive) {
                return map.classesOf(archive.labels(key));
            }

            @Override
            public String describe() {
                return "archive labels (Challenge #Dx SNOMED CT codes, CPSC2018 REFERENCE.csv) mapped to the "
                        + map.dictionary() + " classes";
            }
        };
    }

    /** A CSV label file; records it does not list have no labels. */
    static RecordLabeller fromFile(LabelFile file) {
        Objects.requireNonNull(file, "file");
        return new RecordLabeller() {
            @Override
            public List<String> labels(String key, EcgRecord record, EcgArchive archive) {
                return file.labels(key, record.id()).orElse(List.of());
            }

            @Override
            public String describe() {
                return "label file " + file.file().getFileName() + " (" + file.size() + " records)";
            }
        };
    }
}
