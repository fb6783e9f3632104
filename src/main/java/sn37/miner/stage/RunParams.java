package sn37.miner.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;
import java.util.Set;
import sn37.miner.competition.CompetitionId;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.util.Echo;
import sn37.miner.util.Json;

/**
 * The parameters of a run: the reference miner's flags (JSON names are the flag names without dashes; the
 * bittensor dotted flags use underscores: {@code --wallet.name} is {@code wallet_name}) plus the explicit
 * inputs a single stage may be given: {@code metric} for the gate, {@code upload_dir} (the model dir to
 * publish) for upload. Beyond the reference's flags: {@code init_config} (start from a freshly initialised model
 * of a config.json), {@code lora_rank}, {@code seed}, {@code batch_size}, {@code max_steps},
 * {@code checkpoint_every}, {@code eval_dtype}, {@code eval_backend} (djl, or torch: the loss tasks computed by
 * transformers in bf16 in the PyTorch trainer's environment), {@code allow_unverified_data} (skip the SN1 validator
 * signature check; off by default), {@code gate} (threshold | beat-best) with {@code incumbent_dir},
 * {@code incumbent_block} and {@code current_block} for the beat-best gate; {@code trainer} (djl, the embedded
 * trainer, or torch, the PyTorch trainer run as a separate job) with, for torch, {@code launcher} (local torchrun or
 * slurm), {@code nproc_per_node}, {@code nnodes} and {@code slurm_partition}; {@code competition_block}, the chain
 * block at which a run that named no competition had it chosen (kept so a resume does not choose again). Missing values take the reference's
 * defaults; bad values are rejected here with the flag's name in the message.
 */
public record RunParams(
        @JsonProperty("competition_id") @Schema(description = COMPETITION_ID) Integer competitionId,
        @JsonProperty("avg_loss_upload_threshold") Double avgLossUploadThreshold,
        @JsonProperty("offline") Boolean offline,
        @JsonProperty("hf_repo_id") String hfRepoId,
        @JsonProperty("update_repo_visibility") Boolean updateRepoVisibility,
        @JsonProperty("load_best") Boolean loadBest,
        @JsonProperty("load_uid") Integer loadUid,
        @JsonProperty("load_model_dir") String loadModelDir,
        @JsonProperty("model_dir") String modelDir,
        @JsonProperty("num_epochs") Integer numEpochs,
        @JsonProperty("lr") Double lr,
        @JsonProperty("accumulation_steps") Integer accumulationSteps,
        @JsonProperty("device") String device,
        @JsonProperty("dtype") String dtype,
        @JsonProperty("netuid") Integer netuid,
        @JsonProperty("wallet_name") String walletName,
        @JsonProperty("wallet_hotkey") String walletHotkey,
        @JsonProperty("wallet_path") String walletPath,
        @JsonProperty("subtensor_network") String subtensorNetwork,
        @JsonProperty("subtensor_chain_endpoint") String subtensorChainEndpoint,
        @JsonProperty("wandb_entity") String wandbEntity,
        @JsonProperty("wandb_project") String wandbProject,
        @JsonProperty("data_source") String dataSource,
        @JsonProperty("data_path") String dataPath,
        @JsonProperty("data_limit") Integer dataLimit,
        @JsonProperty("metric") Double metric,
        @JsonProperty("upload_dir") String uploadDir,
        @JsonProperty("init_config") String initConfig,
        @JsonProperty("lora_rank") Integer loraRank,
        @JsonProperty("seed") Long seed,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("max_steps") Integer maxSteps,
        @JsonProperty("checkpoint_every") Integer checkpointEvery,
        @JsonProperty("eval_dtype") String evalDtype,
        @JsonProperty("eval_backend") String evalBackend,
        @JsonProperty("allow_unverified_data") Boolean allowUnverifiedData,
        @JsonProperty("gate") String gate,
        @JsonProperty("incumbent_dir") String incumbentDir,
        @JsonProperty("incumbent_block") Long incumbentBlock,
        @JsonProperty("current_block") Long currentBlock,
        @JsonProperty("trainer") String trainer,
        @JsonProperty("launcher") String launcher,
        @JsonProperty("nproc_per_node") Integer nprocPerNode,
        @JsonProperty("nnodes") Integer nnodes,
        @JsonProperty("slurm_partition") String slurmPartition,
        @JsonProperty("competition_block") @Schema(description = COMPETITION_BLOCK) Long competitionBlock) {

    /** How the API describes competition_id (its OpenAPI document). */
    static final String COMPETITION_ID = "The competition to mine. When absent, an online run takes the competition"
            + " live at the chain's current block, read from the run's subtensor node when the run is made (the server's"
            + " miner.competition.default, 'chain' unless set to an id); if the node cannot be read the request is"
            + " refused with 503 and no run is made. An offline run that names none takes 2.";
    static final String COMPETITION_BLOCK = "The chain block at which the competition of a run that named none was"
            + " chosen; recorded by the server, so a resumed run does not choose again.";

    /**
     * B7_MULTI_CHOICE, the reference's default as of Oct 2024 (neurons/config.py @8e2b0cbb): the competition of a run
     * that names none and does not ask the chain (an --offline run). Online runs of the CLI, the API and the schedule take
     * the one live at the chain's current block instead ({@link DefaultCompetition}) and record that block as
     * {@code competition_block}.
     */
    public static final int DEFAULT_COMPETITION = 2;

    private static final Set<String> DTYPES = Set.of("bfloat16", "float16", "float32");
    private static final Set<String> NETWORKS = Set.of("finney", "test", "local");
    private static final Set<String> DATA_SOURCES = Set.of("jsonl", "wandb", "hf", "reasoning");
    /** The SYNTHETIC-1 SFT and Codeforces CoTs rows DISTILLED_REASONING_3B is scored on. */
    public static final String REASONING = "reasoning";
    public static final String DJL = "djl";
    public static final String TORCH = "torch";
    public static final String LOCAL = "local";
    public static final String SLURM = "slurm";
    /** Processes per node and nodes: far above any machine or cluster a run gets, low enough to catch a typo. */
    static final int MAX_PROCESSES = 1024;
    /** Linux PATH_MAX: no longer path can be opened. */
    static final int MAX_PATH = 4096;
    static final int MAX_URL = 2048;

    public RunParams {
        competitionId = orElse(competitionId, DEFAULT_COMPETITION);
        avgLossUploadThreshold = orElse(avgLossUploadThreshold, 0.0);
        offline = orElse(offline, false);
        updateRepoVisibility = orElse(updateRepoVisibility, true);
        loadBest = orElse(loadBest, false);
        numEpochs = orElse(numEpochs, -1);
        lr = orElse(lr, 1e-5);
        accumulationSteps = orElse(accumulationSteps, 32);
        dtype = orElse(dtype, "bfloat16");
        netuid = orElse(netuid, 37);
        walletName = orElse(walletName, "default");
        walletHotkey = orElse(walletHotkey, "default");
        subtensorNetwork = orElse(subtensorNetwork, "finney");
        // The competition picks the data its tasks are scored on; an unknown id is refused below.
        dataSource = orElse(dataSource, competitionId == CompetitionId.DISTILLED_REASONING_3B.id() ? REASONING
                : "jsonl");
        loraRank = orElse(loraRank, 0);
        seed = orElse(seed, 0L);
        batchSize = orElse(batchSize, 1);
        maxSteps = orElse(maxSteps, -1);
        checkpointEvery = orElse(checkpointEvery, 50);
        evalBackend = orElse(evalBackend, DJL);
        allowUnverifiedData = orElse(allowUnverifiedData, false);
        gate = orElse(gate, "threshold");
        trainer = orElse(trainer, DJL);
        launcher = orElse(launcher, LOCAL);
        nprocPerNode = orElse(nprocPerNode, 1);
        nnodes = orElse(nnodes, 1);

        CompetitionId competition;
        try {
            competition = CompetitionId.fromId(competitionId);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("--competition_id: " + e.getMessage());
        }
        require(CompetitionSchedule.scheduled(competitionId), "--competition_id " + competitionId + " (" + competition
                + ") is in no competition schedule: choose a live competition (see 'bin/miner competitions')");
        require(Double.isFinite(avgLossUploadThreshold) && avgLossUploadThreshold >= 0,
                "--avg_loss_upload_threshold must be a finite number >= 0 (got " + avgLossUploadThreshold
                        + "); 0 means never upload");
        if (hfRepoId != null) requireRepoId(hfRepoId);
        int loadFlags = (loadBest ? 1 : 0) + (loadUid != null ? 1 : 0) + (loadModelDir != null ? 1 : 0);
        require(loadFlags <= 1, "choose one starting model: --load_best, --load_uid or --load_model_dir (got "
                + loadFlags + ")");
        require(loadUid == null || loadUid >= 0, "--load_uid must be a uid >= 0 (got " + loadUid + ")");
        requirePath("--load_model_dir", loadModelDir);
        requirePath("--model_dir", modelDir);
        require(numEpochs == -1 || numEpochs >= 1, "--num_epochs must be -1 (until stopped) or >= 1 (got "
                + numEpochs + ")");
        require(Double.isFinite(lr) && lr > 0 && lr < 1, "--lr must be in (0, 1) (got " + lr + ")");
        require(accumulationSteps >= 1 && accumulationSteps <= 1_000_000,
                "--accumulation_steps must be in [1, 1000000] (got " + accumulationSteps + ")");
        require(device == null || device.equals("cpu") || device.matches("cuda(:\\d{1,2})?"),
                "--device must be cpu, cuda or cuda:N (got " + Echo.quoted(device) + ")");
        dtype = dtype.toLowerCase(Locale.ROOT);
        require(DTYPES.contains(dtype),
                "--dtype must be one of bfloat16, float16, float32 (got " + Echo.quoted(dtype) + ")");
        require(netuid >= 0 && netuid <= 65_535, "--netuid must be in [0, 65535] (got " + netuid + ")");
        require(NETWORKS.contains(subtensorNetwork),
                "--subtensor.network must be finney, test or local (got " + Echo.quoted(subtensorNetwork) + ")");
        require(subtensorChainEndpoint == null || (subtensorChainEndpoint.length() <= MAX_URL
                        && subtensorChainEndpoint.matches("wss?://[^\\s]+")),
                "--subtensor.chain_endpoint must be a ws:// or wss:// URL of at most " + MAX_URL + " characters (got "
                        + Echo.quoted(subtensorChainEndpoint) + ")");
        requireName("--wandb_entity", wandbEntity);
        requireName("--wandb_project", wandbProject);
        require((wandbEntity == null) == (wandbProject == null),
                "--wandb_entity and --wandb_project go together: give both or neither");
        require(DATA_SOURCES.contains(dataSource),
                "--data_source must be jsonl, wandb, hf or reasoning (got " + Echo.quoted(dataSource) + ")");
        require(dataSource.equals(REASONING) == (competition == CompetitionId.DISTILLED_REASONING_3B),
                dataSource.equals(REASONING)
                        ? "--data_source reasoning holds DISTILLED_REASONING_3B's rows; --competition_id "
                                + competitionId + " (" + competition + ") is scored on SN1 multiple choice: use"
                                + " --data_source jsonl, wandb or hf"
                        : "--competition_id 4 (DISTILLED_REASONING_3B) is scored on SYNTHETIC-1 SFT and Codeforces"
                                + " CoTs rows: use --data_source reasoning (its default), not " + dataSource);
        requirePath("--data_path", dataPath);
        require(dataLimit == null || dataLimit >= 1, "--data_limit must be >= 1 (got " + dataLimit + ")");
        require(metric == null || Double.isFinite(metric), "metric must be a finite number (got " + metric + ")");
        requirePath("upload_dir", uploadDir);
        requirePath("--init_config", initConfig);
        int starts = loadFlags + (initConfig != null ? 1 : 0);
        require(starts <= 1, "--init_config starts from a fresh model: do not combine it with --load_best,"
                + " --load_uid or --load_model_dir");
        require(loraRank >= 0 && loraRank <= 1024, "--lora_rank must be in [0, 1024] (0 = full fine-tuning; got "
                + loraRank + ")");
        require(batchSize >= 1 && batchSize <= 4096, "--batch_size must be in [1, 4096] (got " + batchSize + ")");
        require(maxSteps == -1 || maxSteps >= 1, "--max_steps must be -1 (no limit) or >= 1 (got " + maxSteps + ")");
        require(checkpointEvery >= 1, "--checkpoint_every must be >= 1 optimizer steps (got " + checkpointEvery + ")");
        require(gate.equals("threshold") || gate.equals("beat-best"),
                "--gate must be threshold or beat-best (got " + Echo.quoted(gate) + ")");
        requirePath("--incumbent_dir", incumbentDir);
        require(incumbentBlock == null || incumbentBlock >= 0, "--incumbent_block must be >= 0 (got " + incumbentBlock + ")");
        require(currentBlock == null || currentBlock >= 0, "--current_block must be >= 0 (got " + currentBlock + ")");
        require(evalDtype == null || evalDtype.equals("float32") || evalDtype.equals("bfloat16"),
                "--eval_dtype must be float32 or bfloat16 (got " + Echo.quoted(evalDtype) + ")");
        require(evalBackend.equals(DJL) || evalBackend.equals(TORCH),
                "--eval_backend must be djl (this process's DJL model) or torch (transformers in bf16, as validators)"
                        + " (got " + Echo.quoted(evalBackend) + ")");
        require(trainer.equals(DJL) || trainer.equals(TORCH),
                "--trainer must be djl (the embedded trainer) or torch (the PyTorch trainer) (got " + Echo.quoted(trainer)
                        + ")");
        require(launcher.equals(LOCAL) || launcher.equals(SLURM),
                "--launcher must be local (torchrun on this machine) or slurm (got " + Echo.quoted(launcher) + ")");
        require(nprocPerNode >= 1 && nprocPerNode <= MAX_PROCESSES, "--nproc_per_node must be in [1, " + MAX_PROCESSES
                + "] (got " + nprocPerNode + ")");
        require(nnodes >= 1 && nnodes <= MAX_PROCESSES, "--nnodes must be in [1, " + MAX_PROCESSES + "] (got " + nnodes
                + ")");
        require(slurmPartition == null || slurmPartition.matches("[\\w.-]{1,64}"),
                "--slurm_partition must be a partition name of letters, digits, '_', '-' and '.' (got "
                        + Echo.quoted(slurmPartition) + ")");
        require(trainer.equals(TORCH) || (launcher.equals(LOCAL) && nprocPerNode == 1 && nnodes == 1
                        && slurmPartition == null),
                "--launcher, --nproc_per_node, --nnodes and --slurm_partition place the PyTorch trainer's job: add"
                        + " --trainer torch");
        require(nnodes == 1 || launcher.equals(SLURM), "--nnodes " + nnodes + " needs --launcher slurm: the local"
                + " launcher runs one node (use --nproc_per_node for its GPUs)");
        require(slurmPartition == null || launcher.equals(SLURM), "--slurm_partition needs --launcher slurm");
        require(competitionBlock == null || competitionBlock >= 0,
                "competition_block must be >= 0 (got " + competitionBlock + ")");
        if (competitionBlock != null) {
            require(CompetitionSchedule.later().find(competition, competitionBlock).isPresent(),
                    "competition_block " + competitionBlock + ": competition " + competitionId + " (" + competition
                            + ") is not in force at that block of finetuning's schedule: drop competition_block, or"
                            + " give the block the competition was chosen at");
        }
        requirePath("--wallet.path", walletPath);
        require(walletName.matches("[\\w.-]{1,64}"),
                "--wallet.name must be a plain name (got " + Echo.quoted(walletName) + ")");
        require(walletHotkey.matches("[\\w.-]{1,64}"),
                "--wallet.hotkey must be a plain name (got " + Echo.quoted(walletHotkey) + ")");
    }

    public static RunParams defaults() {
        try {
            return Json.mapper().readValue("{}", RunParams.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * taoverse {@code validate_hf_repo_id} (exactly one '/', 3 < length <= 38: the 128-byte chain budget) and the
     * Hub's own rule (huggingface_hub {@code validate_repo_id}): each part starts and ends with a letter, digit or
     * '_', and neither '--' nor '..' appears, so a bad id fails here and not at the upload after training.
     */
    static void requireRepoId(String repoId) {
        require(!repoId.isEmpty(), "--hf_repo_id must not be empty");
        require(repoId.chars().filter(c -> c == '/').count() == 1,
                "--hf_repo_id must be namespace/name with exactly one '/' (got " + Echo.quoted(repoId) + ")");
        require(repoId.length() > 3 && repoId.length() <= 38,
                "--hf_repo_id must be 4 to 38 characters so the chain metadata fits in 128 bytes (got "
                        + repoId.length() + ": " + Echo.quoted(repoId) + ")");
        require(repoId.matches("[\\w.-]+/[\\w.-]+"),
                "--hf_repo_id may contain letters, digits, '-', '_' and '.' only (got " + Echo.quoted(repoId) + ")");
        require(repoId.matches("\\w(?:[\\w.-]*\\w)?/\\w(?:[\\w.-]*\\w)?") && !repoId.contains("..")
                        && !repoId.contains("--") && !repoId.endsWith(".git"),
                "--hf_repo_id: namespace and name must each start and end with a letter, digit or '_', without '--',"
                        + " '..' or a '.git' ending (got " + Echo.quoted(repoId) + ")");
    }

    /** A path parameter: not blank, no control characters (a NUL cannot be in a path), at most {@link #MAX_PATH}. */
    private static void requirePath(String flag, String path) {
        if (path == null) return;
        require(!path.isBlank(), flag + " must not be blank");
        require(path.length() <= MAX_PATH, flag + " must be a path of at most " + MAX_PATH + " characters (got "
                + path.length() + ")");
        require(path.chars().noneMatch(Character::isISOControl), flag
                + " must be a path without control characters such as NUL or newline (got " + Echo.quoted(path) + ")");
    }

    /** A W&B entity or project goes into URL paths: no '/', '?', '#', '%', spaces or control characters. */
    private static void requireName(String flag, String name) {
        if (name == null) return;
        require(name.matches("[^/?#%\\s\\p{Cntrl}]{1,128}"),
                flag + " must be a name of 1 to 128 characters without '/', '?', '#', '%' or spaces (got "
                        + Echo.quoted(name) + ")");
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new InvalidParameterException(message);
    }
}
