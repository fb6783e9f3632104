package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Json;
import sn37.miner.config.Secrets;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.fake.FakeSubtensor;

/** Without an allow-list, SN1's trusted validators come from the chain's metagraph of netuid 1. */
class FetchDataValidatorsTest {
    @TempDir Path dir;
    FakeSubtensor node;

    @BeforeEach
    void start() throws Exception {
        node = FakeSubtensor.start(FakeSubtensor.Runtime.FINNEY_343, 20_000);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private FetchData stage() {
        Endpoints e = new Endpoints("http://127.0.0.1:9", "http://127.0.0.1:9",
                Map.of("finney", "ws://127.0.0.1:9", "test", "ws://127.0.0.1:9", "local", node.endpoint()));
        StageServices services = new StageServices(new Secrets(Optional.empty(), Optional.empty(), Optional.empty()),
                e, dir, Clock.systemUTC());
        return new FetchData(services, Sn1DataSettings.defaults(), 10_000, sn37.miner.chain.ChainTestKit.fast());
    }

    @Test
    void trustsPermittedValidatorsWithEnoughStakeOnly() throws Exception {
        Sr25519Keypair[] keys = new Sr25519Keypair[3];
        for (int i = 0; i < 3; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            keys[i] = Sr25519Keypair.fromMiniSecret(seed);
            node.registerNeuron(1, i, keys[i].publicKey());
        }
        node.setValidatorPermit(1, List.of(true, true, false));
        node.setAlphaStake(keys[0].publicKey(), 1, 50_000_000_000_000L);
        node.setAlphaStake(keys[1].publicKey(), 1, 5_000_000_000_000L);
        node.setAlphaStake(keys[2].publicKey(), 1, 90_000_000_000_000L);
        RunParams p = Json.mapper().readValue("{\"subtensor_network\": \"local\", \"data_source\": \"wandb\"}", RunParams.class);
        assertEquals(List.of(Ss58.encode(keys[0].publicKey())), stage().sn1Validators(p));
    }

    @Test
    void noValidatorIsAClearErrorNamingTheSetting() throws Exception {
        RunParams p = Json.mapper().readValue("{\"subtensor_network\": \"local\", \"data_source\": \"wandb\"}", RunParams.class);
        StageException e = assertThrows(StageException.class, () -> stage().sn1Validators(p));
        assertTrue(e.getMessage().contains("miner.data.sn1-validators"), e.getMessage());
    }
}
