package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Env;
import sn37.miner.config.Settings;
import sn37.miner.run.Run;
import sn37.miner.stage.RunParams;

class CompetitionDefaultTest {

    private static CompetitionDefault configured(String value) {
        Settings s = Settings.load(Path.of("").toAbsolutePath(), Env.of(Map.of()), List.of())
                .with(Map.of(CompetitionDefault.KEY, value, "miner.subtensor.finney", "ws://127.0.0.1:1"));
        return CompetitionDefault.from(s, ChainTestKit.fast());
    }

    @Test
    void aConfiguredIdIsGivenToOnlineRunsThatNameNoneWithoutAChain() throws Exception {
        RunParams p = configured("4").resolve(CompetitionDefault.Request.of(Run.PIPELINE, "{}"));
        assertEquals(4, p.competitionId());
        assertNull(p.competitionBlock());
        assertEquals(RunParams.REASONING, p.dataSource());
    }

    @Test
    void offlineRunsAndRunsThatNameACompetitionAreLeftAsSent() throws Exception {
        CompetitionDefault d = configured("4");
        assertEquals(RunParams.DEFAULT_COMPETITION,
                d.resolve(CompetitionDefault.Request.of(Run.PIPELINE, "{\"offline\": true}")).competitionId());
        assertEquals(2, d.resolve(CompetitionDefault.Request.of(Run.PIPELINE, "{\"competition_id\": 2}"))
                .competitionId());
    }

    @Test
    void aRepeatedBodyIsGivenTheEarlierRunsChoice() throws Exception {
        RunParams earlier = configured("4").resolve(CompetitionDefault.Request.of(Run.PIPELINE, "{}"));
        RunParams like = CompetitionDefault.like(CompetitionDefault.Request.of(Run.PIPELINE, " { } "), earlier);
        assertEquals(earlier, like);
    }

    @Test
    void anIdInNoScheduleIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class, () -> configured("9"));
        assertTrue(e.getMessage().contains(CompetitionDefault.KEY), e.getMessage());
    }
}
