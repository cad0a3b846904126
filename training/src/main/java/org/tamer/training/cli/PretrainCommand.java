package org.tamer.training.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.training.PretrainConfig;
import org.tamer.training.Pretrainer;
import org.tamer.training.RunConfiguration;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.loss.EcgTokenWeighting;
import org.tamer.training.loss.InfoNceDenominator;
import org.tamer.training.loss.TamerLossConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pre-train TAMER on a dataset's training split (defaults are the paper's).")
final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true, description = "a folder written by build-dataset")
    Path dataset;

    @Option(names = "--run", required = true, description = "the run folder (log, checkpoints)")
    Path run;

    @Option(names = "--architecture", defaultValue = "paper", description = "paper or compact (default paper)")
    String architecture;

    @Option(names = "--batch-size", defaultValue = "256")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "50")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "2e-4")
    float learningRate;

    @Option(names = "--weight-decay", defaultValue = "1e-7")
    float weightDecay;

    @Option(names = "--t0", defaultValue = "40000", description = "steps per cosine cycle before a warm restart")
    int t0;

    @Option(names = "--temperature", defaultValue = "0.04", description = "tau of RLCA, UECR, RADA and lambda of RGWR")
    float temperature;

    @Option(names = "--uecr-dropout", defaultValue = "0.1")
    float uecrDropout;

    @Option(names = "--checkpoint-every", defaultValue = "500")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "20240601")
    long seed;

    @Option(names = "--max-steps", defaultValue = "-1", description = "stop after this many steps in this call")
    long maxSteps;

    @Option(names = "--resume", description = "continue from the run folder's last checkpoint")
    boolean resume;

    @Option(names = "--init-only", description = "write the initialised network as the checkpoint, do not train "
            + "(the random-initialisation baseline)")
    boolean initOnly;

    @Option(names = "--no-rlca") boolean noRlca;
    @Option(names = "--no-uecr") boolean noUecr;
    @Option(names = "--no-rada") boolean noRada;
    @Option(names = "--no-rgwr") boolean noRgwr;
    @Option(names = "--no-wlai", description = "mean pooling instead of WLAI") boolean noWlai;
    @Option(names = "--no-spectrogram", description = "drop the spectrogram branch (and RLCA)") boolean noSpectrogram;

    @Option(names = "--denominator", defaultValue = "ALL_PAIRS", description = "Eq. 1: ${COMPLETION-CANDIDATES}")
    InfoNceDenominator denominator;

    @Option(names = "--ecg-token-weighting", defaultValue = "UNIFORM", description = "Eq. 4: ${COMPLETION-CANDIDATES}")
    EcgTokenWeighting ecgTokenWeighting;

    @Override
    public Integer call() {
        ComputeEngine engine = ComputeEngine.load();
        System.out.println("pretrain: " + engine.describe());
        engine.performanceAdvice().ifPresent(advice -> System.out.println("pretrain: warning: " + advice));
        ShardDataset data = ShardDataset.open(dataset);
        int hidden = data.examples().get(0).hiddenSize();
        RunConfiguration runConfiguration = resume && Files.exists(run.resolve(RunConfiguration.FILE))
                ? RunConfiguration.read(run) : new RunConfiguration(architecture, hidden, !noSpectrogram, !noWlai);
        runConfiguration.write(run);
        TamerLossConfig loss = new TamerLossConfig(temperature, temperature, uecrDropout, !noRlca && !noSpectrogram,
                !noUecr, !noRada, !noRgwr, denominator, ecgTokenWeighting);
        PretrainConfig config = new PretrainConfig(batchSize, epochs, learningRate, weightDecay, t0, checkpointEvery,
                seed, 4, loss);
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            TamerNetwork network = new TamerNetwork(runConfiguration.network());
            network.initialize(manager);
            Pretrainer pretrainer = new Pretrainer(network, config, run, System.out);
            if (initOnly) {
                pretrainer.saveInitialCheckpoint(manager);
                System.out.println("pretrain: wrote the initialised network to " + run);
                return 0;
            }
            Map<String, Float> last = pretrainer.train(data, manager, resume, maxSteps);
            System.out.println("pretrain: last step " + last);
        }
        return 0;
    }
}
