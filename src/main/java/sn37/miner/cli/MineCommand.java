package sn37.miner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;
import sn37.miner.chain.ChainSettings;
import sn37.miner.run.Run;
import sn37.miner.stage.DefaultCompetition;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.RunPreflight;

/**
 * One pipeline run in this process, with the reference miner's flags ({@code neurons/miner.py}).
 * Example: {@code bin/miner mine --offline --load_model_dir ./my-model --num_epochs 1}.
 */
@Command(name = "mine", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the pipeline once (fetch-data -> load-model -> train -> evaluate -> gate -> upload -> commit)"
                + " with the reference miner's flags, and print the run summary.",
                "Configuration keys can be overridden with --key=value."})
public final class MineCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--offline", description = "Do not publish; use only local data and models.")
    boolean offline;
    @Option(names = "--hf_repo_id", paramLabel = "NS/NAME", description = "Hugging Face repo to upload to (4 to 38 chars).")
    String hfRepoId;
    @Option(names = "--avg_loss_upload_threshold", description = "Upload only if the metric is strictly below this; 0 means never (default 0).")
    Double threshold;
    @Option(names = "--competition_id", description = "Competition id (default: the competition live at the chain's"
            + " current block, recorded with the run; with --offline 2, B7_MULTI_CHOICE).")
    Integer competitionId;
    @Option(names = "--load_best", description = "Start from the best miner's model of the competition.")
    boolean loadBest;
    @Option(names = "--load_uid", description = "Start from this uid's committed model.")
    Integer loadUid;
    @Option(names = "--load_model_dir", description = "Start from a local Hugging Face model dir.")
    String loadModelDir;
    @Option(names = "--model_dir", description = "Where downloads and run outputs go.")
    String modelDir;
    @Option(names = "--num_epochs", description = "Epochs; -1 trains until stopped (default -1).")
    Integer numEpochs;
    @Option(names = "--lr", description = "Learning rate (default 1e-5).")
    Double lr;
    @Option(names = "--accumulation_steps", description = "Micro-batches per optimizer step (default 32).")
    Integer accumulationSteps;
    @Option(names = "--device", description = "cpu, cuda or cuda:N (default: cuda when present).")
    String device;
    @Option(names = "--dtype", description = "bfloat16 (default), float16 or float32.")
    String dtype;
    @Option(names = "--netuid", description = "Subnet id (default 37).")
    Integer netuid;
    @Mixin WalletOptions wallet;
    @Option(names = "--wandb_entity", description = "W&B entity for the miner's own training log.")
    String wandbEntity;
    @Option(names = "--wandb_project", description = "W&B project for the miner's own training log.")
    String wandbProject;
    @Option(names = "--update_repo_visibility",
            description = "As in the reference, passing this flag DISABLES making the repo public after the commit.")
    boolean keepRepoPrivate;
    @Option(names = "--data_source", description = "jsonl, wandb or hf (SN1 multiple choice; jsonl is the default),"
            + " or reasoning (competition 4's SYNTHETIC-1 SFT and Codeforces CoTs rows, its default; offline, the"
            + " bundled sample).")
    String dataSource;
    @Option(names = "--data_path", description = "JSONL file of SN1 samples (default: the bundled sample).")
    String dataPath;
    @Option(names = "--data_limit", description = "Keep at most this many samples (reasoning: training rows per"
            + " task; the evaluation split keeps the validators' size).")
    Integer dataLimit;
    @Option(names = "--init_config", description = "Start from a freshly initialised model of this config.json.")
    String initConfig;
    @Option(names = "--lora_rank", description = "LoRA rank on attention and MLP projections; 0 = full fine-tuning (default).")
    Integer loraRank;
    @Option(names = "--seed", description = "Seed for data order, initialisation and sampling (default 0).")
    Long seed;
    @Option(names = "--batch_size", description = "Sequences per micro-batch (default 1, as the reference).")
    Integer batchSize;
    @Option(names = "--max_steps", description = "Stop training after this many optimizer steps (default -1: no limit).")
    Integer maxSteps;
    @Option(names = "--checkpoint_every", description = "Optimizer steps between checkpoints (default 50).")
    Integer checkpointEvery;
    @Option(names = "--eval_dtype", description = "float32 or bfloat16 (bfloat16 rounds logits as validators do).")
    String evalDtype;
    @Option(names = "--eval_backend", description = "djl (default) or torch: the loss tasks computed by transformers in"
            + " bf16 as validators do, in the PyTorch trainer's environment (train.torch.python); multiple choice stays"
            + " on DJL.")
    String evalBackend;
    @Option(names = "--allow_unverified_data",
            description = "Accept SN1 data without checking the validator's signature (off by default).")
    boolean allowUnverifiedData;
    @Option(names = "--gate", description = "threshold (default: the reference's --avg_loss_upload_threshold) or"
            + " beat-best (pass only if ours < incumbent × (1 − ε), ε at the block validators will score ours).")
    String gate;
    @Option(names = "--incumbent_dir", description = "The incumbent model for --gate beat-best (default: the"
            + " --load_best/--load_uid model).")
    String incumbentDir;
    @Option(names = "--incumbent_block", description = "The incumbent's commit block (default: from the chain).")
    Long incumbentBlock;
    @Option(names = "--current_block", description = "The current block for ε (default: read from the chain).")
    Long currentBlock;
    @Option(names = "--trainer", description = "djl (default: the embedded trainer) or torch (the PyTorch trainer,"
            + " run by --launcher).")
    String trainer;
    @Option(names = "--launcher", description = "Where --trainer torch runs: local (default: torchrun here) or slurm.")
    String launcher;
    @Option(names = "--nproc_per_node", description = "torchrun processes per node: GPUs, or CPU processes (default 1;"
            + " with train.slurm.gpus-per-node, one per GPU).")
    Integer nprocPerNode;
    @Option(names = "--nnodes", description = "Nodes of a --launcher slurm job (default 1).")
    Integer nnodes;
    @Option(names = "--slurm_partition", description = "Slurm partition (default: train.slurm.partition).")
    String slurmPartition;
    @Mixin ListCompetitionsOption listCompetitions;
    @Mixin VerboseOption verbose;

    @Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (listCompetitions.printIfAsked(spec.commandLine().getOut(), offline, this::chainEndpoint,
                ChainSettings.defaults())) {
            return 0;
        }
        RunParams params = params(ChainSettings.defaults());
        RunPreflight.cli().check(Run.PIPELINE, params);
        OneShot.trainerPreflight(params, overrides);
        if (!params.offline()) {
            spec.commandLine().getErr().println("pre-flight: " + OneShot.preflight(params, overrides));
        }
        try (OneShot shot = OneShot.start(overrides, verbose.verbose)) {
            Run run = shot.submitAndWait(Run.PIPELINE, params);
            return shot.printSummary(run, spec.commandLine().getOut());
        }
    }

    /**
     * The run's parameters. Without --competition_id an online run takes the competition live at the chain's current
     * block, and records that block; an --offline run keeps {@link RunParams#DEFAULT_COMPETITION}.
     */
    RunParams params(ChainSettings chain) {
        if (competitionId != null || offline) return params(competitionId, null);
        // the competition picks other defaults (the data source), so the flags are checked once it is known
        DefaultCompetition.Choice live = DefaultCompetition.at(chainEndpoint(), chain);
        spec.commandLine().getErr().println("competition: " + live.describe() + "; --competition_id chooses another");
        return params(live.id(), live.block());
    }

    private String chainEndpoint() {
        return DefaultCompetition.endpoint(OneShot.endpoints(overrides), wallet.network, wallet.chainEndpoint);
    }

    private RunParams params(Integer competitionId, Long competitionBlock) {
        return new RunParams(competitionId, threshold, offline ? true : null, hfRepoId, keepRepoPrivate ? false : null,
                loadBest ? true : null, loadUid, loadModelDir, modelDir, numEpochs, lr, accumulationSteps, device, dtype,
                netuid, wallet.walletName, wallet.walletHotkey, wallet.walletPath, wallet.network, wallet.chainEndpoint, wandbEntity, wandbProject,
                dataSource, dataPath, dataLimit, null, null, initConfig, loraRank, seed, batchSize, maxSteps, checkpointEvery,
                evalDtype, evalBackend, allowUnverifiedData ? true : null, gate, incumbentDir, incumbentBlock,
                currentBlock, trainer, launcher, nprocPerNode, nnodes, slurmPartition, competitionBlock);
    }
}
