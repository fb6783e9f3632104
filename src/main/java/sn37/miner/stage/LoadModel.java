package sn37.miner.stage;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.commitment.MinerModel;
import sn37.miner.competition.CompetitionConstraints;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubToken;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.Dtype;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.llama.LlamaConfig;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.tokenizer.ChatTokenizer;
import sn37.miner.publish.ChainStartingModel;
import sn37.miner.publish.PublishException;

/**
 * Chooses the starting model, as the reference's {@code load_starting_model} does:
 * {@code --load_model_dir DIR} (a local Hugging Face directory, checked: a supported
 * architecture, every weight present with its shape, a usable tokenizer) or {@code --init_config}
 * (a fresh, seeded model of a config.json, or of a bundled config by name, saved under the run's
 * work dir), or the model a miner committed on chain ({@code --load_uid}/{@code --load_best},
 * {@link ChainStartingModel}). Outputs the directory the train stage starts from.
 */
public final class LoadModel implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(LoadModel.class);
    static final String INIT_DIR = "model/init";

    /**
     * @param modelDir absolute path of the starting HF directory
     * @param source {@code load_model_dir} or {@code init_config}
     * @param tokenizerDir the directory whose tokenizer training must use, or null for the
     *     competition's fixed tokenizer (bundled)
     */
    public record Output(String modelDir, String source, String architecture, long parameterCount, String tokenizer,
            String tokenizerDir, Long block, String hotkey) {

        Output(String modelDir, String source, String architecture, long parameterCount, String tokenizer,
                String tokenizerDir) {
            this(modelDir, source, architecture, parameterCount, tokenizer, tokenizerDir, null, null);
        }
    }

    private final StageServices services;
    private final ChainSettings chainSettings;

    public LoadModel(StageServices services) {
        this(services, ChainSettings.defaults());
    }

    public LoadModel(StageServices services, ChainSettings chainSettings) {
        this.services = services;
        this.chainSettings = chainSettings;
    }

    @Override
    public String name() {
        return StageNames.LOAD_MODEL;
    }

    @Override
    public Output run(StageContext ctx) throws Exception {
        RunParams p = ctx.params();
        if (p.loadBest() || p.loadUid() != null) {
            return fromChain(p, ctx.progress());
        }
        ModelConstraints constraints = constraints(p.competitionId());
        if (p.loadModelDir() != null) {
            return fromDirectory(Path.of(p.loadModelDir()).toAbsolutePath().normalize(), constraints);
        }
        if (p.initConfig() != null) {
            return initialise(ctx, p, constraints);
        }
        throw new StageException("no starting model: give --load_model_dir DIR (a Hugging Face model directory),"
                + " --init_config FILE (a config.json to initialise; 'tiny-llama' is bundled for the offline demo),"
                + " --load_best or --load_uid N");
    }

    /** {@code --load_uid N} / {@code --load_best}: the chain's named model, downloaded and checked, as a local dir. */
    private Output fromChain(RunParams p, Progress progress) throws Exception {
        String flag = p.loadBest() ? "--load_best" : "--load_uid " + p.loadUid();
        String endpoint = services.endpoints().subtensor(p.subtensorNetwork(), p.subtensorChainEndpoint());
        HubToken token = services.secrets().hfToken().map(t -> HubToken.of(t.reveal())).orElse(null);
        HubClient hub = HubClient.create(services.endpoints().hub(), token);
        Path root = p.modelDir() != null ? Path.of(p.modelDir()) : services.home().resolve("local-models");
        ChainStartingModel chain = new ChainStartingModel(endpoint, chainSettings, services.clock(), hub);
        ChainStartingModel.Snapshot chosen;
        try {
            MinerModel miner = chain.committed(
                    new ChainStartingModel.Choice(p.netuid(), p.loadBest() ? null : p.loadUid(), p.competitionId()));
            String what = miner.modelId().namespace() + "/" + miner.modelId().name();
            chosen = chain.download(miner, root, (bytes, total) ->
                    progress.report(ProgressEvent.bytes(StageNames.LOAD_MODEL, what, bytes, total)));
        } catch (PublishException e) {
            throw new StageException(flag + ": " + e.getMessage(), e);
        }
        Output local = fromDirectory(chosen.dir(), chosen.constraints());
        return new Output(local.modelDir(), p.loadBest() ? "load_best" : "load_uid", local.architecture(),
                local.parameterCount(), local.tokenizer(), local.tokenizerDir(), chosen.block(), chosen.hotkey());
    }

    private Output fromDirectory(Path dir, ModelConstraints constraints) throws IOException {
        LlamaConfig config;
        try (CheckpointDir checkpoint = CheckpointDir.open(dir)) {
            config = LlamaConfig.from(checkpoint.config());
            LlamaWeights.check(checkpoint, config);
        }
        Path tokenizerDir = tokenizerDir(dir, constraints);
        checkVocabulary(config, tokenizerDir);
        LOG.info("starting model {}: {} with {} parameters", dir, config.architecture(), config.parameterCount());
        return new Output(dir.toString(), "load_model_dir", config.architecture(), config.parameterCount(),
                tokenizerName(tokenizerDir), tokenizerDir == null ? null : tokenizerDir.toString());
    }

    private Output initialise(StageContext ctx, RunParams p, ModelConstraints constraints) throws IOException {
        ModelConfig modelConfig = readInitConfig(p.initConfig());
        LlamaConfig config = LlamaConfig.from(modelConfig);
        checkVocabulary(config, null);
        Path dir = ctx.workDir().resolve(INIT_DIR).toAbsolutePath().normalize();
        try (LlamaModel model = LlamaWeights.initialize(config, p.seed(), Device.cpu())) {
            LlamaWeights.save(model, dir, Dtype.F32, null);
        }
        Path tokenizerDir = null;
        if (constraints.tokenizer() == null) {
            // Competitions without a fixed tokenizer evaluate with the one in the model repo: ship the bundled one.
            copyBundledTokenizer(dir);
            tokenizerDir = dir;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                ctx.artifact("init-model/" + file.getFileName(), file);
            }
        }
        LOG.info("initialised {} with {} parameters (seed {}) in {}", config.architecture(), config.parameterCount(),
                p.seed(), dir);
        return new Output(dir.toString(), "init_config", config.architecture(), config.parameterCount(),
                tokenizerName(tokenizerDir), tokenizerDir == null ? null : tokenizerDir.toString());
    }

    /**
     * The tokenizer training must use: the competition's fixed one when it has one (validators
     * ignore a repo's own), else the directory's own, which must then exist.
     */
    static Path tokenizerDir(Path dir, ModelConstraints constraints) {
        if (constraints.tokenizer() != null) {
            if (ChatTokenizer.present(dir)) {
                LOG.info("{} has its own tokenizer; the competition evaluates with {}, so training uses that", dir,
                        constraints.tokenizer());
            }
            return null;
        }
        if (!ChatTokenizer.present(dir)) {
            throw new StageException(dir + " has no tokenizer.json, and this competition evaluates every model"
                    + " with the tokenizer in its own repo: add the tokenizer files (tokenizer.json,"
                    + " tokenizer_config.json) to the directory");
        }
        return dir;
    }

    private static void checkVocabulary(LlamaConfig config, Path tokenizerDir) throws IOException {
        try (ChatTokenizer tokenizer = tokenizerDir == null ? ChatTokenizer.bundled()
                : ChatTokenizer.fromDir(tokenizerDir)) {
            if (tokenizer.vocabularySize() > config.vocabSize()) {
                throw new StageException("the model's vocab_size " + config.vocabSize() + " is smaller than the"
                        + " tokenizer's " + tokenizer.vocabularySize() + " ids (" + tokenizer.source() + "): use a"
                        + " model made for this tokenizer");
            }
        }
    }

    private static String tokenizerName(Path tokenizerDir) {
        return tokenizerDir == null ? ChatTokenizer.COMPETITION_TOKENIZER + " (bundled)" : tokenizerDir.toString();
    }

    /** A config.json path, a directory holding one, or the name of a bundled config (models/NAME/config.json). */
    public static ModelConfig readInitConfig(String value) throws IOException {
        Path path = Path.of(value);
        if (Files.isDirectory(path)) {
            path = path.resolve(CheckpointDir.CONFIG);
        }
        if (Files.isRegularFile(path)) {
            return ModelConfig.read(path);
        }
        if (value.matches("[\\w.-]+")) {
            try (InputStream in = LoadModel.class.getResourceAsStream("/models/" + value + "/config.json")) {
                if (in != null) {
                    Path copy = Files.createTempFile("init-config", ".json");
                    try {
                        Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        return ModelConfig.read(copy);
                    } finally {
                        Files.deleteIfExists(copy);
                    }
                }
            }
        }
        throw new NoSuchFileException(value, null, "--init_config: neither a config.json file nor a bundled config"
                + " (bundled: tiny-llama)");
    }

    private static void copyBundledTokenizer(Path dir) throws IOException {
        for (String name : List.of(ChatTokenizer.TOKENIZER_JSON, ChatTokenizer.TOKENIZER_CONFIG,
                "special_tokens_map.json")) {
            try (InputStream in = LoadModel.class.getResourceAsStream("/tokenizer/gpt-4/" + name)) {
                Files.copy(in, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The run's competition constraints ({@link CompetitionConstraints#of}), as a parameter error. */
    static ModelConstraints constraints(int competitionId) {
        try {
            return CompetitionConstraints.of(competitionId);
        } catch (IllegalArgumentException e) {
            throw new StageException("--competition_id " + competitionId + ": " + e.getMessage(), e);
        }
    }
}
