package sn37.miner.stage;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Settings;
import sn37.miner.data.HfSourceSettings;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.data.WandbSourceSettings;

/** The {@code miner.data.*} keys as the SN1 sources' settings. */
final class Sn1DataKeys {
    private Sn1DataKeys() {}

    static Sn1DataSettings from(Settings s) {
        List<String> validators = Arrays.stream(s.get("miner.data.sn1-validators").split(","))
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
        WandbSourceSettings.Mode mode;
        try {
            mode = WandbSourceSettings.Mode.valueOf(s.get("miner.data.wandb.mode").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("miner.data.wandb.mode must be historic or latest (got '"
                    + s.get("miner.data.wandb.mode") + "')");
        }
        WandbSourceSettings d = WandbSourceSettings.defaults();
        String age = s.get("miner.data.wandb.max-age-hours");
        WandbSourceSettings wandb = new WandbSourceSettings(mode, s.get("miner.data.wandb.project"),
                s.getInt("miner.data.wandb.steps", 1, 1_000_000), s.getInt("miner.data.wandb.page-size", 1, 100_000),
                age.isEmpty() ? null : Duration.ofHours(s.getInt("miner.data.wandb.max-age-hours", 1, 100_000)),
                s.getInt("miner.data.wandb.target", 1, 1_000_000), d.loadAttempts(), d.loadRetryWait(), d.earliest());
        HfSourceSettings hd = HfSourceSettings.defaults();
        HfSourceSettings hf = new HfSourceSettings(s.get("miner.data.hf.dataset"),
                s.getInt("miner.data.hf.configs", 1, 10_000), s.getInt("miner.data.hf.min-rows", 1, 1_000_000),
                s.getInt("miner.data.hf.target", 1, 1_000_000), hd.pageSize(), hd.attempts());
        try {
            return Sn1DataSettings.defaults().withValidators(validators).withWandb(wandb).withHf(hf)
                    .withDatasetViewerUrl(s.get("miner.data.hf.viewer-url"))
                    .withReasoningTrainRows(s.getInt("miner.data.reasoning.train-rows", 1, 1_000_000));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("miner.data.*: " + e.getMessage());
        }
    }
}
