package sn37.miner.data;

import java.util.List;
import java.util.Objects;
import okhttp3.OkHttpClient;
import sn37.miner.util.Sleeper;
import sn37.miner.wandb.WandbHttp;

/**
 * What the remote sources need beyond the run's parameters: the SN1 validator allow-list (until the chain
 * metagraph provides it), the W&B and HF source options, the dataset viewer's base URL, one HTTP client, how
 * retries wait, and how many training rows per task the competition-4 source fetches by default.
 */
public record Sn1DataSettings(List<String> validatorHotkeys, WandbSourceSettings wandb, HfSourceSettings hf,
        String datasetViewerUrl, OkHttpClient http, Sleeper sleeper, int reasoningTrainRows) {

    /** {@code miner.data.reasoning.train-rows}: ten viewer pages a task. */
    public static final int REASONING_TRAIN_ROWS = 1000;

    public static final String DATASET_VIEWER_URL = "https://datasets-server.huggingface.co";

    public Sn1DataSettings {
        validatorHotkeys = List.copyOf(validatorHotkeys);
        Objects.requireNonNull(wandb, "wandb");
        Objects.requireNonNull(hf, "hf");
        Objects.requireNonNull(datasetViewerUrl, "datasetViewerUrl");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(sleeper, "sleeper");
        if (reasoningTrainRows < 1) {
            throw new IllegalArgumentException("reasoning training rows must be >= 1, got " + reasoningTrainRows);
        }
    }

    /** No validator allow-list (so remote data needs --allow_unverified_data until one is set), default options. */
    public static Sn1DataSettings defaults() {
        return new Sn1DataSettings(List.of(), WandbSourceSettings.defaults(), HfSourceSettings.defaults(),
                DATASET_VIEWER_URL, WandbHttp.defaultClient(), Sleeper.SYSTEM,
                REASONING_TRAIN_ROWS);
    }

    public Sn1DataSettings withValidators(List<String> hotkeys) {
        return new Sn1DataSettings(hotkeys, wandb, hf, datasetViewerUrl, http, sleeper, reasoningTrainRows);
    }

    public Sn1DataSettings withWandb(WandbSourceSettings options) {
        return new Sn1DataSettings(validatorHotkeys, options, hf, datasetViewerUrl, http, sleeper, reasoningTrainRows);
    }

    public Sn1DataSettings withHf(HfSourceSettings options) {
        return new Sn1DataSettings(validatorHotkeys, wandb, options, datasetViewerUrl, http, sleeper, reasoningTrainRows);
    }

    public Sn1DataSettings withDatasetViewerUrl(String url) {
        return new Sn1DataSettings(validatorHotkeys, wandb, hf, url, http, sleeper, reasoningTrainRows);
    }

    public Sn1DataSettings withReasoningTrainRows(int rows) {
        return new Sn1DataSettings(validatorHotkeys, wandb, hf, datasetViewerUrl, http, sleeper, rows);
    }

    public Sn1DataSettings withSleeper(Sleeper s) {
        return new Sn1DataSettings(validatorHotkeys, wandb, hf, datasetViewerUrl, http, s, reasoningTrainRows);
    }
}
