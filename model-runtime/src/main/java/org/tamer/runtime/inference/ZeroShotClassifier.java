package org.tamer.runtime.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.text.TextEncoder;

/**
 * Zero-shot ECG diagnosis with a model bundle: the score of a class is the cosine similarity between the ECG's
 * fused embedding z^e and the class embedding; the probability applies the bundle's calibration. Scores a batch at
 * a time on the engine's device. Thread-safe; close it to free the network.
 */
public final class ZeroShotClassifier implements AutoCloseable {

    private final BundleManifest manifest;
    private final NDManager manager;
    private final TamerNetwork network;
    private final PromptDictionary prompts;
    private final NDArray classMatrix;

    private ZeroShotClassifier(BundleManifest manifest, NDManager manager, TamerNetwork network,
                               PromptDictionary prompts, List<float[]> classEmbeddings) {
        this.manifest = manifest;
        this.manager = manager;
        this.network = network;
        this.prompts = prompts;
        int d = manifest.network().latentSize();
        float[] flat = new float[classEmbeddings.size() * d];
        for (int i = 0; i < classEmbeddings.size(); i++) {
            System.arraycopy(classEmbeddings.get(i), 0, flat, i * d, d);
        }
        this.classMatrix = manager.create(flat, new Shape(classEmbeddings.size(), d));
    }

    /** A classifier with the bundle's own prompts and the class embeddings stored with it. */
    public static ZeroShotClassifier load(ModelBundle bundle, ComputeEngine engine) {
        NDManager manager = NDManager.newBaseManager(engine.device());
        try {
            TamerNetwork network = bundle.loadNetwork(manager);
            return new ZeroShotClassifier(bundle.manifest(), manager, network, bundle.manifest().prompts(),
                    bundle.manifest().classEmbeddings());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A classifier with other prompts, embedded with {@code encoder}, which must be the encoder the bundle was
     * trained with.
     */
    public static ZeroShotClassifier load(ModelBundle bundle, PromptDictionary prompts, TextEncoder encoder,
                                          ComputeEngine engine) {
        BundleManifest m = bundle.manifest();
        if (!encoder.weightsSha256().equals(m.textEncoder().sha256()) || encoder.pooling() != m.textEncoder().pooling()) {
            throw new IllegalArgumentException("bundle " + bundle.directory() + " was trained with text encoder "
                    + m.textEncoder().reference() + " (sha256 " + m.textEncoder().sha256() + ", " + m.textEncoder()
                    .pooling() + " pooling) but " + encoder.source().reference() + " (sha256 "
                    + encoder.weightsSha256() + ", " + encoder.pooling() + ") was given");
        }
        NDManager manager = NDManager.newBaseManager(engine.device());
        try {
            TamerNetwork network = bundle.loadNetwork(manager);
            return new ZeroShotClassifier(m, manager, network, prompts,
                    ClassEmbeddings.compute(network, encoder, prompts, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public List<String> classes() {
        return prompts.classes();
    }

    /**
     * Scores a batch of ECGs preprocessed with the bundle's preprocessing configuration.
     *
     * @throws IllegalArgumentException if an ECG does not have the model's leads, rate or length
     */
    public List<Diagnosis> classify(List<PreprocessedEcg> batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return List.of();
        }
        var config = manifest.network();
        int leads = config.leads();
        int length = config.ecgLength();
        int spectrogramSize = leads * config.frequencyBins() * config.frames();
        float[] waveforms = new float[batch.size() * leads * length];
        float[] spectrograms = new float[batch.size() * spectrogramSize];
        SpectrogramTransform stft = new SpectrogramTransform(manifest.stft());
        for (int i = 0; i < batch.size(); i++) {
            PreprocessedEcg ecg = batch.get(i);
            if (!ecg.leads().equals(manifest.preprocessing().leadOrder()) || ecg.length() != length
                    || ecg.samplingRateHz() != manifest.preprocessing().targetRateHz()) {
                throw new IllegalArgumentException("record " + ecg.recordId() + " is " + ecg.leadCount() + " x "
                        + ecg.length() + " at " + ecg.samplingRateHz() + " Hz with leads " + ecg.leads()
                        + "; the model needs the bundle's preprocessing: " + manifest.preprocessing());
            }
            ecg.copyInto(waveforms, i * leads * length);
            stft.apply(ecg).copyInto(spectrograms, i * spectrogramSize);
        }
        float[] similarity;
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray waveform = batchManager.create(waveforms, new Shape(batch.size(), leads, length));
            NDArray spectrogram = batchManager.create(spectrograms, new Shape(batch.size(), leads,
                    config.frequencyBins(), config.frames()));
            NDArray z = network.forward(new ParameterStore(batchManager, false), new NDList(waveform, spectrogram),
                    false).head();
            similarity = ClassEmbeddings.unit(z).matMul(classMatrix.transpose()).toFloatArray();
        }
        List<String> codes = prompts.classes();
        List<Diagnosis> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            List<ClassScore> scores = new ArrayList<>(codes.size());
            for (int c = 0; c < codes.size(); c++) {
                double score = similarity[i * codes.size() + c];
                scores.add(new ClassScore(codes.get(c), score, manifest.calibrationOf(codes.get(c)).probability(score)));
            }
            results.add(new Diagnosis(batch.get(i).recordId(), scores));
        }
        return results;
    }

    @Override
    public void close() {
        manager.close();
    }
}
