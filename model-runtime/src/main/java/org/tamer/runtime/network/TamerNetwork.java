package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tamer.runtime.text.ReportFeatures;

/**
 * The trainable part of TAMER: the temporal ResNet, the spectral CNN, the projection heads into the shared latent
 * space (TFEP), WLAI fusion, and RGWR's dual cross-attention. The frozen report encoder is outside: this network
 * takes its {@link ReportFeatures}.
 *
 * <p>As a DJL block its forward pass is inference: {@code [waveform [batch, leads, samples], spectrogram [batch,
 * leads, bins, frames]] → [z^e [batch, D]]}. Training uses the typed methods {@link #embedEcg},
 * {@link #embedReport}, {@link #embedText} and {@link #crossAttend}. Every result belongs to the manager of its
 * first input.
 */
public final class TamerNetwork extends AbstractBlock {

    private final TamerConfig config;
    private final EcgResNetEncoder ecgEncoder;
    private final SpectrogramCnnEncoder spectrogramEncoder;
    private final Block temporalGlobalProjection;
    private final Block temporalLocalProjection;
    private final Block spectralGlobalProjection;
    private final Block spectralLocalProjection;
    private final Block reportGlobalProjection;
    private final Block reportLocalProjection;
    private final WlaiFusion wlai;
    private final MultiHeadAttention ecgToReport;
    private final MultiHeadAttention reportToEcg;

    public TamerNetwork(TamerConfig config) {
        this.config = config;
        int d = config.latentSize();
        ecgEncoder = addChildBlock("ecg_encoder", new EcgResNetEncoder(config));
        temporalGlobalProjection = addChildBlock("temporal_global_projection", linear(d));
        temporalLocalProjection = addChildBlock("temporal_local_projection", linear(d));
        if (config.spectrogramBranch()) {
            spectrogramEncoder = addChildBlock("spectrogram_encoder", new SpectrogramCnnEncoder(config));
            spectralGlobalProjection = addChildBlock("spectral_global_projection", linear(d));
            spectralLocalProjection = addChildBlock("spectral_local_projection", linear(d));
        } else {
            spectrogramEncoder = null;
            spectralGlobalProjection = null;
            spectralLocalProjection = null;
        }
        reportGlobalProjection = addChildBlock("report_global_projection", linear(d));
        reportLocalProjection = addChildBlock("report_local_projection", linear(d));
        wlai = config.wlai() ? addChildBlock("wlai", new WlaiFusion(d, config.attentionHeads())) : null;
        ecgToReport = addChildBlock("rgwr_ecg_to_report", new MultiHeadAttention(d, config.attentionHeads()));
        reportToEcg = addChildBlock("rgwr_report_to_ecg", new MultiHeadAttention(d, config.attentionHeads()));
        // He initialisation for the convolutional encoders, as ResNets are trained from scratch.
        XavierInitializer he = new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2);
        ecgEncoder.setInitializer(he, Parameter.Type.WEIGHT);
        if (spectrogramEncoder != null) {
            spectrogramEncoder.setInitializer(he, Parameter.Type.WEIGHT);
        }
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    public TamerConfig config() {
        return config;
    }

    /** Initialises every parameter for the configured input sizes on {@code manager}'s device. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, inputShapes(1));
    }

    /** The inference input shapes for a batch. */
    public Shape[] inputShapes(long batch) {
        return new Shape[] {new Shape(batch, config.leads(), config.ecgLength()),
            new Shape(batch, config.leads(), config.frequencyBins(), config.frames())};
    }

    /**
     * The ECG branch: encoders, projections and fusion.
     *
     * @param spectrogram ignored (may be null) without the spectrogram branch
     */
    public EcgEmbedding embedEcg(ParameterStore store, NDArray waveform, NDArray spectrogram, boolean training) {
        NDArray temporal = ecgEncoder.forward(store, new NDList(waveform), training).head().transpose(0, 2, 1);
        NDArray temporalGlobal = project(store, temporalGlobalProjection, temporal.mean(new int[] {1}), training);
        NDArray tokens = project(store, temporalLocalProjection, temporal, training);
        Optional<NDArray> spectralGlobal = Optional.empty();
        if (spectrogramEncoder != null) {
            NDArray spectral = spectrogramEncoder.forward(store, new NDList(spectrogram), training).head()
                    .transpose(0, 2, 1);
            spectralGlobal = Optional.of(project(store, spectralGlobalProjection, spectral.mean(new int[] {1}),
                    training));
            tokens = tokens.concat(project(store, spectralLocalProjection, spectral, training), 1);
        }
        if (wlai == null) {
            return new EcgEmbedding(temporalGlobal, spectralGlobal, tokens, tokens.mean(new int[] {1}),
                    Optional.empty());
        }
        NDList fused = wlai.forward(store, new NDList(tokens), training);
        return new EcgEmbedding(temporalGlobal, spectralGlobal, tokens, fused.get(0), Optional.of(fused.get(2)));
    }

    /** The report branch: projections of the frozen encoder's features. */
    public ReportEmbedding embedReport(ParameterStore store, ReportFeatures report, boolean training) {
        return new ReportEmbedding(project(store, reportGlobalProjection, report.global(), training),
                project(store, reportLocalProjection, report.tokens(), training), report.mask(),
                report.clsAttention());
    }

    /** Projects g^r of class descriptions (or any text) into the latent space: the zero-shot class embeddings. */
    public NDArray embedText(ParameterStore store, NDArray textGlobal) {
        return project(store, reportGlobalProjection, textGlobal, false);
    }

    /** RGWR's dual cross-attention between ECG tokens and report tokens (padding masked). */
    public CrossAttended crossAttend(ParameterStore store, NDArray ecgTokens, ReportEmbedding report,
                                     boolean training) {
        NDArray ecgFromReport = ecgToReport.forward(store, new NDList(ecgTokens, report.tokens(), report.mask()),
                training).head();
        NDArray reportFromEcg = reportToEcg.forward(store, new NDList(report.tokens(), ecgTokens), training).head();
        return new CrossAttended(ecgFromReport, reportFromEcg);
    }

    private static NDArray project(ParameterStore store, Block projection, NDArray x, boolean training) {
        return projection.forward(store, new NDList(x), training).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray spectrogram = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(embedEcg(store, inputs.get(0), spectrogram, training).fused());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.latentSize())};
    }

    /** Local ECG tokens per record: time steps of the ResNet plus, with the spectrogram branch, its frames. */
    public long ecgTokenCount() {
        long tokens = ecgEncoder.getOutputShapes(inputShapes(1))[0].get(2);
        if (spectrogramEncoder != null) {
            tokens += config.frames();
        }
        return tokens;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = 1;
        int d = config.latentSize();
        Shape[] waveform = {inputShapes[0]};
        ecgEncoder.initialize(manager, dataType, waveform);
        Shape temporal = ecgEncoder.getOutputShapes(waveform)[0];
        temporalGlobalProjection.initialize(manager, dataType, new Shape(batch, temporal.get(1)));
        temporalLocalProjection.initialize(manager, dataType, new Shape(batch, temporal.get(2), temporal.get(1)));
        long tokens = temporal.get(2);
        if (spectrogramEncoder != null) {
            Shape[] spectrogram = {inputShapes[1]};
            spectrogramEncoder.initialize(manager, dataType, spectrogram);
            Shape spectral = spectrogramEncoder.getOutputShapes(spectrogram)[0];
            spectralGlobalProjection.initialize(manager, dataType, new Shape(batch, spectral.get(1)));
            spectralLocalProjection.initialize(manager, dataType, new Shape(batch, spectral.get(2), spectral.get(1)));
            tokens += spectral.get(2);
        }
        reportGlobalProjection.initialize(manager, dataType, new Shape(batch, config.textHiddenSize()));
        reportLocalProjection.initialize(manager, dataType, new Shape(batch, 1, config.textHiddenSize()));
        Shape ecgTokens = new Shape(batch, tokens, d);
        Shape reportTokens = new Shape(batch, 1, d);
        if (wlai != null) {
            wlai.initialize(manager, dataType, ecgTokens);
        }
        ecgToReport.initialize(manager, dataType, ecgTokens, reportTokens);
        reportToEcg.initialize(manager, dataType, reportTokens, ecgTokens);
    }

    /** Trainable parameters per top-level component, in declaration order. */
    public Map<String, Long> parameterCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        getChildren().forEach(child -> {
            long total = 0;
            for (var p : child.getValue().getParameters()) {
                Parameter parameter = p.getValue();
                if (parameter.requiresGradient() && parameter.getArray() != null) {
                    total += parameter.getArray().size();
                }
            }
            counts.put(child.getKey().replaceFirst("^\\d+", ""), total);
        });
        return counts;
    }
}
