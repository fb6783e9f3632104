package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.stage.InvalidParameterException;
import sn37.miner.stage.RunParams;

/** mine without --competition_id: online the chain's current block picks it; --offline keeps the bundled default. */
class DefaultCompetitionCliTest {
    private FakeSubtensor node;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        node = FakeSubtensor.start(FakeSubtensor.Runtime.FINNEY_343, 5_200_000);
    }

    @AfterEach
    void stop() {
        assertTrue(node.violations().isEmpty(), node.violations().toString());
        node.close();
    }

    private MineCommand mine(String... args) {
        MineCommand cmd = new MineCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.parseArgs(args);
        return cmd;
    }

    @Test
    void anOnlineRunTakesTheCompetitionLiveAtTheCurrentBlockAndRecordsTheBlock() {
        RunParams p = mine("--subtensor.chain_endpoint", node.endpoint()).params(ChainTestKit.fast());
        assertEquals(4, p.competitionId());
        assertEquals(5_200_000L, p.competitionBlock());
        assertEquals("reasoning", p.dataSource(), "the data source follows the chosen competition");
        assertTrue(err.toString().contains("competition: competition 4 (DISTILLED_REASONING_3B), live at block 5200000"),
                err.toString());
    }

    @Test
    void aGivenCompetitionIsNotLookedUp() {
        RunParams p = mine("--subtensor.chain_endpoint", node.endpoint(), "--competition_id", "2")
                .params(ChainTestKit.fast());
        assertEquals(2, p.competitionId());
        assertNull(p.competitionBlock());
        assertEquals(0, node.connectionsOpened());
    }

    @Test
    void anOfflineRunKeepsTheBundledDefaultWithoutAskingTheChain() {
        RunParams p = mine("--offline", "--subtensor.chain_endpoint", node.endpoint()).params(ChainTestKit.fast());
        assertEquals(RunParams.DEFAULT_COMPETITION, p.competitionId());
        assertNull(p.competitionBlock());
        assertEquals(0, node.connectionsOpened());
    }

    @Test
    void anUnreachableChainSaysToPassTheCompetition() {
        node.online(false);
        MineCommand cmd = mine("--subtensor.chain_endpoint", node.endpoint());
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> cmd.params(ChainTestKit.fast()));
        assertTrue(e.getMessage().contains("pass --competition_id N"), e.getMessage());
    }

    @Test
    void listCompetitionsMarksTheCompetitionLiveAtTheCurrentBlock() {
        MineCommand cmd = mine("--list_competitions", "--subtensor.chain_endpoint", node.endpoint());
        assertTrue(cmd.listCompetitions.printIfAsked(new PrintWriter(out, true), false,
                node::endpoint, ChainTestKit.fast()));
        String table = out.toString();
        assertTrue(table.contains("* live at block 5200000, the current block of " + node.endpoint()), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("\\* 4 +DISTILLED_REASONING_3B .*")), table);
    }

    @Test
    void listCompetitionsOfflineSaysTheMarkIsNotCheckedAgainstTheChain() {
        MineCommand cmd = mine("--list_competitions", "--offline");
        assertTrue(cmd.listCompetitions.printIfAsked(new PrintWriter(out, true), true, node::endpoint,
                ChainTestKit.fast()));
        String table = out.toString();
        assertTrue(table.contains("* by the bundled schedule's latest entry (from block 5158632), NOT checked against"
                + " the chain: --offline\n"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("\\* 4 +DISTILLED_REASONING_3B .*")), table);
        assertEquals(0, node.connectionsOpened());
    }

    @Test
    void listCompetitionsWithTheChainDownSaysItCouldNotCheck() {
        node.online(false);
        MineCommand cmd = mine("--list_competitions");
        assertTrue(cmd.listCompetitions.printIfAsked(new PrintWriter(out, true), false, node::endpoint,
                ChainTestKit.fast()));
        assertTrue(out.toString().contains("NOT checked against the chain: no current block from " + node.endpoint()),
                out.toString());
    }
}
