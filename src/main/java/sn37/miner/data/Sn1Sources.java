package sn37.miner.data;

import java.time.Clock;
import java.util.Optional;
import sn37.miner.util.Secret;
import sn37.miner.wandb.WandbGraphql;
import sn37.miner.wandb.WandbHttp;
import sn37.miner.wandb.WandbPublicApi;
import sn37.miner.wandb.WandbRetry;

/** Builds the remote SN1 sources from {@link Sn1DataSettings}; nothing here opens a connection. */
public final class Sn1Sources {
    private final Sn1DataSettings settings;

    public Sn1Sources(Sn1DataSettings settings) {
        this.settings = settings;
    }

    /**
     * @param limit {@code --data_limit}: the target count instead of the options' one, or null
     * @throws DataSourceException when there is no W&B key or no way to verify the data
     */
    public WandbSampleSource wandb(String baseUrl, Optional<Secret> key, long seed, Integer limit,
            boolean unverifiedAllowed, Clock clock) {
        WandbSourceSettings options = limit == null ? settings.wandb() : settings.wandb().withTarget(limit);
        ValidatorCheck validators = validators(unverifiedAllowed);
        validators.requireUsable("wandb:" + options.project());
        Secret secret = key.orElseThrow(() -> new DataSourceException("no W&B key for reading SN1 data: set"
                + " WANDB_ACCESS_TOKEN (or WANDB_API_KEY) in the environment or .env, or use --data_source hf"
                + " or jsonl"));
        WandbHttp http = new WandbHttp(settings.http(), baseUrl, secret, "WANDB_ACCESS_TOKEN (or WANDB_API_KEY)",
                WandbRetry.PER_PAGE, settings.sleeper());
        return new WandbSampleSource(new WandbPublicApi(new WandbGraphql(http)), options, validators, seed, clock,
                settings.sleeper());
    }

    /**
     * @param hfToken sent when present (needed only if the dataset is gated)
     * @throws DataSourceException when there is no way to verify the data
     */
    public HfDatasetSampleSource hf(Optional<Secret> hfToken, long seed, Integer limit, boolean unverifiedAllowed) {
        HfSourceSettings options = limit == null ? settings.hf() : settings.hf().withTarget(limit);
        ValidatorCheck validators = validators(unverifiedAllowed);
        validators.requireUsable("hf:" + options.dataset());
        DatasetViewerClient viewer = new DatasetViewerClient(settings.http(), settings.datasetViewerUrl(), hfToken,
                options.attempts(), settings.sleeper());
        return new HfDatasetSampleSource(viewer, options, validators, seed);
    }

    private ValidatorCheck validators(boolean unverifiedAllowed) {
        return ValidatorCheck.of(settings.validatorHotkeys(), unverifiedAllowed);
    }
}
