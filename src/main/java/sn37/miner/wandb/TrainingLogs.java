package sn37.miner.wandb;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Secret;
import sn37.miner.util.Sleeper;

/**
 * Opens the miner's training log as the reference does (reference-miner.md §1.7): a W&B run only when not offline
 * and both {@code --wandb_entity} and {@code --wandb_project} are given, with the key from {@code WANDB_API_KEY}
 * ({@code Secrets.wandbLogKey()}); otherwise {@link TrainingLog#noop()}. A missing key is reported once and gives the
 * no-op log too: logging never stops training.
 */
public final class TrainingLogs {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLogs.class);
    /** File-stream posts may be retried: their offsets make a resend harmless. */
    static final WandbRetry LOG_RETRY = new WandbRetry(5, Duration.ofSeconds(1), Duration.ofSeconds(16));
    static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TrainingLogs() {}

    /** With the default HTTP client, real sleeps between retries and a 60 s limit on {@link TrainingLog#finish}. */
    public static TrainingLog open(boolean offline, String entity, String project, String baseUrl,
            Optional<Secret> key, MinerRunConfig config, Clock clock) {
        return open(offline, entity, project, baseUrl, key, config, clock, WandbHttp.defaultClient(), Sleeper.SYSTEM,
                FINISH_TIMEOUT);
    }

    public static TrainingLog open(boolean offline, String entity, String project, String baseUrl,
            Optional<Secret> key, MinerRunConfig config, Clock clock, OkHttpClient http, Sleeper sleeper,
            Duration finishTimeout) {
        if (offline || entity == null || project == null) {
            return TrainingLog.noop();
        }
        if (key.isEmpty()) {
            LOG.warn("W&B training log is requested (--wandb_entity {} --wandb_project {}) but no key is set: set"
                    + " WANDB_API_KEY in the environment or .env; training goes on without the log", entity, project);
            return TrainingLog.noop();
        }
        WandbHttp wandb;
        try {
            wandb = new WandbHttp(http, baseUrl, key.get(), "WANDB_API_KEY (or WANDB_ACCESS_TOKEN)", LOG_RETRY,
                    sleeper);
        } catch (IllegalArgumentException e) {
            LOG.warn("W&B training log is off: {}", e.getMessage());
            return TrainingLog.noop();
        }
        return new WandbTrainingLog(new WandbRunWriter(wandb), entity, project, newRunId(), config, clock,
                finishTimeout);
    }

    /** wandb's {@code generate_id()}: 8 characters of a-z and 0-9. */
    static String newRunId() {
        StringBuilder b = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            b.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return b.toString();
    }
}
