package sn37.miner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;
import sn37.miner.chain.ChainSettings;
import sn37.miner.util.Json;
import sn37.miner.pipeline.RunFlow;
import sn37.miner.run.Run;
import sn37.miner.stage.DefaultCompetition;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.RunPreflight;

/**
 * Publishes a local model dir: one Hub commit, then the metadata on chain, then the repo made public — the
 * reference's {@code scripts/upload_model.py}, resumable with {@code runs resume}.
 * Example: {@code bin/miner upload --hf_repo_id me/sn37-model --load_model_dir ./best --wallet.name w}.
 */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Upload a local model dir to the Hub and commit its metadata on chain (upload_model.py).",
                "Needs HF_ACCESS_TOKEN (or HF_TOKEN). Configuration keys can be overridden with --key=value."})
public final class UploadCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--hf_repo_id", paramLabel = "NS/NAME", description = "Hugging Face repo (4 to 38 chars).")
    String hfRepoId;
    @Option(names = "--load_model_dir", description = "The Hugging Face model dir to publish.")
    String loadModelDir;
    @Option(names = "--competition_id", description = "Competition id (default: the competition live at the chain's"
            + " current block, recorded with the run).")
    Integer competitionId;
    @Option(names = "--netuid", description = "Subnet id (default 37).")
    Integer netuid;
    @Mixin WalletOptions wallet;
    @Option(names = "--update_repo_visibility",
            description = "As in the reference, passing this flag DISABLES making the repo public after the commit.")
    boolean keepRepoPrivate;
    @Mixin ListCompetitionsOption listCompetitions;
    @Mixin VerboseOption verbose;

    @Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (listCompetitions.printIfAsked(spec.commandLine().getOut(), false, this::chainEndpoint,
                ChainSettings.defaults())) {
            return 0;
        }
        if (hfRepoId == null || loadModelDir == null) {
            throw new IllegalArgumentException("upload needs --hf_repo_id and --load_model_dir");
        }
        if (loadModelDir.isBlank()) {
            // Path.of("") is the working directory: a blank flag would publish whatever is there.
            throw new IllegalArgumentException("--load_model_dir must not be blank: give the model directory to publish");
        }
        RunParams params = params(competitionId, null);
        // everything the publish needs is checked before a byte goes to the Hub: the model dir, then token, repo,
        // wallet, the hotkey's registration and the node (the same pre-flight as mine)
        RunPreflight.cli().check(RunFlow.PUBLISH, params);
        spec.commandLine().getErr().println("pre-flight: " + OneShot.preflight(params, overrides));
        if (competitionId == null) {
            DefaultCompetition.Choice live = DefaultCompetition.at(chainEndpoint(), ChainSettings.defaults());
            spec.commandLine().getErr().println("competition: " + live.describe() + "; --competition_id chooses another");
            params = params(live.id(), live.block());
            RunPreflight.cli().check(RunFlow.PUBLISH, params);
        }
        try (OneShot shot = OneShot.start(overrides, verbose.verbose)) {
            Run run = shot.submitAndWait(RunFlow.PUBLISH, params);
            return shot.printSummary(run, spec.commandLine().getOut());
        }
    }

    private String chainEndpoint() {
        return DefaultCompetition.endpoint(OneShot.endpoints(overrides), wallet.network, wallet.chainEndpoint);
    }

    /** The publish run's parameters; {@code competitionBlock} is where a default competition was chosen. */
    private RunParams params(Integer competitionId, Long competitionBlock) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hf_repo_id", hfRepoId);
        p.put("upload_dir", Path.of(loadModelDir).toAbsolutePath().normalize().toString());
        p.put("competition_id", competitionId);
        p.put("competition_block", competitionBlock);
        p.put("netuid", netuid);
        p.put("wallet_name", wallet.walletName);
        p.put("wallet_hotkey", wallet.walletHotkey);
        p.put("wallet_path", wallet.walletPath);
        p.put("subtensor_network", wallet.network);
        p.put("subtensor_chain_endpoint", wallet.chainEndpoint);
        if (keepRepoPrivate) p.put("update_repo_visibility", false);
        p.values().removeIf(Objects::isNull);
        try {
            return Json.mapper().convertValue(p, RunParams.class);
        } catch (IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new IllegalArgumentException(root.getMessage());
        }
    }
}
