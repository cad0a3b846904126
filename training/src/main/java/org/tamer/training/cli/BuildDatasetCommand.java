package org.tamer.training.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.Set;
import org.tamer.routes.adapters.EcgFileArchive;
import org.tamer.routes.adapters.cpsc.Cpsc2018Archive;
import org.tamer.routes.adapters.mimic.MimicIvEcgArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.adapters.wfdb.WfdbDirectoryArchive;
import org.tamer.routes.fhir.FhirBulkArchive;
import org.tamer.routes.hl7.Hl7MessageArchive;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.runtime.text.TextPooling;
import org.tamer.training.dataset.ArchiveTrainingSource;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.PatientSplitter;
import org.tamer.training.dataset.PtbXlTrainingSource;
import org.tamer.training.dataset.RecordLabeller;
import org.tamer.training.dataset.Split;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardEncoding;
import org.tamer.training.dataset.TrainingSource;
import org.tamer.training.labels.LabelFile;
import org.tamer.training.labels.SnomedClassMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "build-dataset", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Read an archive through the ingestion adapters and write a sharded tri-modal dataset.")
final class BuildDatasetCommand implements Callable<Integer> {

    enum SourceKind { ptbxl, wfdb, cpsc2018, mimic, files, hl7, fhir }

    @Option(names = "--source", required = true, description = "archive layout: ${COMPLETION-CANDIDATES}")
    SourceKind source;

    @Option(names = "--input", required = true, description = "the archive's root folder")
    Path input;

    @Option(names = "--output", required = true, description = "the dataset folder to write")
    Path output;

    @Option(names = "--rate", defaultValue = "500", description = "PTB-XL: read the 500 or 100 Hz records (default 500)")
    int rate;

    @Option(names = "--english-reports", description = "PTB-XL: use reports composed from the statements")
    boolean englishReports;

    @Option(names = "--salt", defaultValue = "tamer", description = "salt of the pseudonyms and hashed splits")
    String salt;

    @Option(names = "--shard-size", defaultValue = "1024", description = "examples per shard (default 1024)")
    int shardSize;

    @Option(names = {"--validation-fraction"}, defaultValue = "0.1", description = "hashed splits: validation share")
    double validation;

    @Option(names = {"--test-fraction"}, defaultValue = "0.1", description = "hashed splits: test share")
    double test;

    @Option(names = "--resume", description = "continue a build that stopped, after its last complete shard")
    boolean resume;

    @Option(names = "--label-classes", description = "label records with the classes of this shipped prompt "
            + "dictionary (" + SnomedClassMap.DICTIONARIES + "), mapped from the archive's own labels: Challenge #Dx "
            + "SNOMED CT codes, CPSC2018 REFERENCE.csv")
    String labelClasses;

    @Option(names = "--label-file", description = "CSV of record name -> classes (one-hot columns or lists); with "
            + "--label-classes only that dictionary's classes count")
    Path labelFile;

    @Option(names = "--split-all", description = "put every record in this split (VALIDATION or TEST): an archive "
            + "kept for evaluation; records without a report are written only in these splits")
    Split splitAll;

    @Option(names = "--text-encoder", description = TextEncoderOption.DESCRIPTION)
    String textEncoder;

    @Option(names = "--text-pooling", defaultValue = "MEAN", description = "how g^r is pooled from the token states: "
            + "${COMPLETION-CANDIDATES}")
    TextPooling textPooling;

    @Option(names = "--max-tokens", defaultValue = "128", description = "the tokenizer's maximum report length")
    int maxTokens;

    @Option(names = "--shard-encoding", defaultValue = "INT16", description = "INT16: waveforms and token states as "
            + "int16 with a scale per lead and per token (about half the bytes); FLOAT32: the version-1 layout")
    ShardEncoding shardEncoding;

    @Override
    public Integer call() {
        if (shardSize < 1) {
            throw new IllegalArgumentException("--shard-size must be positive, got " + shardSize);
        }
        if (rate != 500 && rate != 100) {
            throw new IllegalArgumentException("--rate must be 500 or 100, got " + rate);
        }
        if (splitAll == Split.TRAIN) {
            throw new IllegalArgumentException("--split-all takes VALIDATION or TEST (an evaluation archive)");
        }
        PatientSplitter splitter = splitAll == null ? PatientSplitter.hashed(validation, test, salt)
                : PatientSplitter.all(splitAll);
        TrainingSource trainingSource = source(source, input, rate == 500, englishReports, splitter,
                labeller(labelClasses, labelFile));
        ComputeEngine engine = ComputeEngine.load();
        try (TextEncoder encoder = TextEncoderOption.load(Optional.ofNullable(textEncoder), textPooling, maxTokens,
                engine.device())) {
            System.out.println("build-dataset: text encoder " + TextEncoderOption.describe(
                    encoder.source().reference(), encoder.weightsSha256()) + ", " + encoder.pooling() + " pooling");
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(), salt,
                    shardSize, shardEncoding, System.out).build(trainingSource, output, resume);
        }
        return 0;
    }

    /** The training source of an archive layout; PTB-XL brings its own patient-wise split and labels. */
    static TrainingSource source(SourceKind kind, Path input, boolean highRate, boolean englishReports,
                                 PatientSplitter splitter) {
        return source(kind, input, highRate, englishReports, splitter, RecordLabeller.none());
    }

    static TrainingSource source(SourceKind kind, Path input, boolean highRate, boolean englishReports,
                                 PatientSplitter splitter, RecordLabeller labeller) {
        return switch (kind) {
            case ptbxl -> new PtbXlTrainingSource(input, highRate,
                    englishReports ? ReportLanguage.ENGLISH_STATEMENTS : ReportLanguage.ORIGINAL);
            case wfdb -> new ArchiveTrainingSource(new WfdbDirectoryArchive(input), splitter, "WFDB folder",
                    labeller);
            case cpsc2018 -> new ArchiveTrainingSource(new Cpsc2018Archive(input), splitter,
                    "CPSC2018 (MAT structs, REFERENCE.csv)", labeller);
            case mimic -> new ArchiveTrainingSource(new MimicIvEcgArchive(input), splitter, "MIMIC-IV-ECG", labeller);
            case files -> new ArchiveTrainingSource(new EcgFileArchive(input), splitter,
                    "ECG files (Sierra, aECG, DICOM, MUSE, WFDB)", labeller);
            case hl7 -> new ArchiveTrainingSource(Hl7MessageArchive.of(input), splitter,
                    "HL7 v2 message files (single or FHS/BHS batches)", labeller);
            case fhir -> new ArchiveTrainingSource(FhirBulkArchive.of(input), splitter, "FHIR Bulk Data NDJSON",
                    labeller);
        };
    }

    /** The labels of archive records: from a label file, or the archive's own mapped to a dictionary's classes. */
    static RecordLabeller labeller(String labelClasses, Path labelFile) {
        if (labelFile != null) {
            Optional<Set<String>> classes = Optional.ofNullable(labelClasses)
                    .map(name -> Set.copyOf(Prompts.load(name).classes()));
            return RecordLabeller.fromFile(LabelFile.read(labelFile, classes));
        }
        if (labelClasses != null) {
            SnomedClassMap map = SnomedClassMap.shipped(labelClasses);
            System.out.print("build-dataset: labels from the archive, mapped to the " + labelClasses
                    + " classes:\n" + map.toMarkdown());
            return RecordLabeller.fromArchive(map);
        }
        return RecordLabeller.none();
    }
}
