package sn37.miner.stage;

import java.util.List;
import sn37.miner.config.Env;
import sn37.miner.config.Settings;

/** The stages this build provides, in pipeline order. */
public final class BuiltInStages {
    private BuiltInStages() {}

    public static List<Stage> all(Settings settings, Env env) {
        StageServices services = StageServices.from(settings, env);
        return List.of(
                new FetchData(services, Sn1DataKeys.from(settings),
                        Double.parseDouble(settings.get("miner.data.sn1-min-stake"))),
                new LoadModel(services),
                new Train(services, LaunchKeys.from(settings, env)),
                new Evaluate(services, new DjlModelOpener(), Evaluate.ScoringSettings.defaults(), LaunchKeys.paths(settings)),
                new Gate(p -> ChainBlocks.current(services, p)),
                new Upload(services),
                new Commit(services));
    }
}
