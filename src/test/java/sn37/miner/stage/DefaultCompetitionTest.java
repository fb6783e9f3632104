package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.competition.CompetitionId;
import sn37.miner.util.Json;
import sn37.miner.fake.FakeSubtensor;

class DefaultCompetitionTest {

    @Test
    void theChainsCurrentBlockPicksTheCompetitionLiveThere() throws Exception {
        try (FakeSubtensor node = FakeSubtensor.start(FakeSubtensor.Runtime.FINNEY_343, 5_200_000)) {
            DefaultCompetition.Choice c = DefaultCompetition.at(node.endpoint(), ChainTestKit.fast());
            assertEquals(CompetitionId.DISTILLED_REASONING_3B, c.competition().id());
            assertEquals(5_200_000, c.block());
            assertEquals("competition 4 (DISTILLED_REASONING_3B), live at block 5200000 (" + node.endpoint() + ")",
                    c.describe());
            assertTrue(node.violations().isEmpty(), node.violations().toString());
        }
    }

    @Test
    void anEarlierBlockPicksAnotherCompetition() throws Exception {
        try (FakeSubtensor node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 4_700_000)) {
            assertEquals(CompetitionId.INSTRUCT_8B,
                    DefaultCompetition.at(node.endpoint(), ChainTestKit.fast()).competition().id());
        }
    }

    @Test
    void aChainThatDoesNotAnswerSaysToPassTheCompetition() throws Exception {
        try (FakeSubtensor node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 5_200_000)) {
            node.online(false);
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> DefaultCompetition.at(node.endpoint(), ChainTestKit.fast()));
            assertTrue(e.getMessage().contains("pass --competition_id N"), e.getMessage());
            assertTrue(e.getMessage().contains(node.endpoint()), e.getMessage());
        }
    }

    @Test
    void theChosenCompetitionAndItsBlockAreKeptWithTheRun() throws Exception {
        RunParams p = Json.mapper().readValue("{\"competition_id\": 4, \"competition_block\": 5200000}",
                RunParams.class);
        RunParams stored = Json.mapper().readValue(Json.mapper().writeValueAsString(p), RunParams.class);
        assertEquals(4, stored.competitionId());
        assertEquals(5_200_000L, stored.competitionBlock());
        assertEquals("reasoning", stored.dataSource(), "competition 4's data source follows the chosen id");
    }

    @Test
    void aBlockWhereTheCompetitionIsNotInForceIsRefused() {
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class, () -> Json.mapper().readValue(
                "{\"competition_id\": 2, \"competition_block\": 5200000}", RunParams.class));
        assertTrue(e.getCause().getMessage().startsWith("competition_block 5200000: competition 2 (B7_MULTI_CHOICE) is not in"
                + " force"), e.getCause().getMessage());
    }
}
