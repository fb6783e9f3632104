package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn37.miner.util.Json;

/**
 * Stage outputs as a run recorded them ({@code runs show --json} of the offline demo, kept under
 * {@code src/test/resources/records/}): each still reads into its stage's typed record, strictly (every field
 * written is one the record has) and as the runner reads stored records, so a resumed run finds what it needs.
 */
class RecordedOutputsTest {
    private static final Map<String, JsonNode> OUTPUTS = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = RecordedOutputsTest.class.getResourceAsStream("/records/offline-demo-run.json")) {
            for (JsonNode stage : Json.mapper().readTree(in).get("stages")) {
                if (stage.hasNonNull("outputs")) OUTPUTS.put(stage.get("stage").asText(), stage.get("outputs"));
            }
        }
    }

    private static <T> T read(String stage, Class<T> type) throws Exception {
        JsonNode stored = OUTPUTS.get(stage);
        assertNotNull(stored, "the recorded run has outputs of " + stage);
        T strict = Json.mapper().treeToValue(stored, type);
        T lenient = Json.recordReader(type).readValue(stored);
        assertEquals(strict, lenient, stage);
        return strict;
    }

    @Test
    void fetchDataOutputsGiveTrainingAndHeldOutSnapshots() throws Exception {
        FetchData.Output data = read(StageNames.FETCH_DATA, FetchData.Output.class);
        assertTrue(data.snapshotPath().endsWith("sn1-train.jsonl"), data.snapshotPath());
        assertTrue(data.evalSnapshotPath().endsWith("sn1-eval.jsonl"), data.evalSnapshotPath());
        assertEquals(64, data.snapshotSha256().length());
    }

    @Test
    void loadModelAndTrainOutputsNameTheirModelDirs() throws Exception {
        assertTrue(read(StageNames.LOAD_MODEL, LoadModel.Output.class).modelDir().endsWith("model/init"));
        Train.Output train = read(StageNames.TRAIN, Train.Output.class);
        assertTrue(train.modelDir().endsWith("best-model"), train.modelDir());
        assertEquals(train.steps(), train.stepLosses().size());
    }

    @Test
    void evaluateAndGateOutputsCarryTheScoreAndTheDecision() throws Exception {
        Evaluate.Output eval = read(StageNames.EVALUATE, Evaluate.Output.class);
        Gate.Output gate = read(StageNames.GATE, Gate.Output.class);
        assertEquals(eval.metric(), gate.metric());
        assertTrue(eval.tasks().size() >= 1);
    }
}
