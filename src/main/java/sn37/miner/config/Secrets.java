package sn37.miner.config;

import sn37.miner.util.Secret;

import java.util.Optional;

/**
 * The secrets the miner uses, read from the environment and {@code .env}.
 *
 * <p>{@code HF_ACCESS_TOKEN} is the reference miner's name; {@code HF_TOKEN} is the Hugging Face standard.
 * The reference uses {@code WANDB_ACCESS_TOKEN} for reading SN1 data and {@code WANDB_API_KEY} for the
 * miner's own logging; each falls back to the other.
 */
public record Secrets(Optional<Secret> hfToken, Optional<Secret> wandbDataKey, Optional<Secret> wandbLogKey) {

    public static Secrets from(Env env) {
        return new Secrets(
                env.first("HF_ACCESS_TOKEN", "HF_TOKEN").map(Secret::of),
                env.first("WANDB_ACCESS_TOKEN", "WANDB_API_KEY").map(Secret::of),
                env.first("WANDB_API_KEY", "WANDB_ACCESS_TOKEN").map(Secret::of));
    }

    public Secret requireHfToken() {
        return hfToken.orElseThrow(() -> new ConfigException(
                "no Hugging Face token: set HF_ACCESS_TOKEN (or HF_TOKEN) in the environment or in .env;"
                        + " create a token with write access at your Hub account settings"));
    }
}
