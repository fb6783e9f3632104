package sn37.miner.wandb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The config the reference miner gives its W&B run (neurons/miner.py, reference-miner.md §1.7):
 * {@code {uid, hotkey, run_name, version, type: "miner"}}. {@code uid} is null for an unregistered hotkey.
 */
public record MinerRunConfig(Integer uid, String hotkey, String runName, String version) {

    public MinerRunConfig {
        Objects.requireNonNull(runName, "runName");
        Objects.requireNonNull(version, "version");
    }

    /** The {@code config} variable of {@code UpsertBucket}: a JSON string of {@code {key: {"value": v}}}. */
    String toConfigJson() {
        ObjectNode root = WandbHttp.JSON.createObjectNode();
        if (uid == null) {
            root.putObject("uid").putNull("value");
        } else {
            root.putObject("uid").put("value", uid);
        }
        root.putObject("hotkey").put("value", hotkey);
        root.putObject("run_name").put("value", runName);
        root.putObject("version").put("value", version);
        root.putObject("type").put("value", "miner");
        return root.toString();
    }
}
