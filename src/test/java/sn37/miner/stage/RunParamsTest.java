package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;
import sn37.miner.util.Json;

class RunParamsTest {
    private static String rejection(String json) {
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class,
                () -> Json.mapper().readValue(json, RunParams.class));
        return e.getCause().getMessage();
    }

    @Test
    void defaultsAreTheReferenceMinersDefaults() {
        RunParams p = RunParams.defaults();
        assertEquals(2, p.competitionId());
        assertEquals(0.0, p.avgLossUploadThreshold());
        assertEquals(-1, p.numEpochs());
        assertEquals(1e-5, p.lr());
        assertEquals(32, p.accumulationSteps());
        assertEquals(37, p.netuid());
        assertEquals("bfloat16", p.dtype());
        assertTrue(p.updateRepoVisibility());
    }

    @Test
    void competitionFourDefaultsToItsReasoningDataAndRefusesMultipleChoiceSources() throws Exception {
        assertEquals("reasoning", Json.mapper().readValue("{\"competition_id\": 4}", RunParams.class).dataSource());
        assertEquals("jsonl", RunParams.defaults().dataSource());
        assertTrue(rejection("{\"competition_id\": 4, \"data_source\": \"jsonl\"}")
                .contains("use --data_source reasoning"));
        assertTrue(rejection("{\"data_source\": \"reasoning\"}").contains("--competition_id 2 (B7_MULTI_CHOICE)"));
    }

    @Test
    void negativeThresholdNamesTheFlag() {
        assertTrue(rejection("{\"avg_loss_upload_threshold\": -0.5}").startsWith("--avg_loss_upload_threshold must be"));
    }

    @Test
    void repoIdOf39CharactersIsRejected() {
        String id = "a".repeat(19) + "/" + "b".repeat(19);
        assertTrue(rejection("{\"hf_repo_id\": \"" + id + "\"}").contains("4 to 38 characters"));
    }

    @Test
    void repoIdWithTwoSlashesIsRejected() {
        assertTrue(rejection("{\"hf_repo_id\": \"a/b/c\"}").contains("exactly one '/'"));
    }

    @Test
    void repoIdsTheHubTakesAreAccepted() throws Exception {
        for (String id : new String[] {"me/model", "a_b/c.d", "Org-1/sn37_model-v1.0", "_x/y_"}) {
            assertEquals(id, Json.mapper().readValue("{\"hf_repo_id\": \"" + id + "\"}", RunParams.class).hfRepoId());
        }
    }

    @Test
    void repoIdsTheHubRefusesAreRejectedBeforeTraining() {
        for (String id : new String[] {"me/-model", "me/model.", "me--x/model", "me/a..b", "me/model.git", "me/m\u00f6del"}) {
            assertTrue(rejection("{\"hf_repo_id\": \"" + id + "\"}").startsWith("--hf_repo_id"), id);
        }
    }

    @Test
    void competitionThatNoScheduleRunsIsRejected() {
        assertTrue(rejection("{\"competition_id\": 0}").contains("is in no competition schedule"));
    }

    @Test
    void pathWithNulIsRejectedNamingTheFlag() {
        assertTrue(rejection("{\"data_path\": \"a\\u0000b\"}").startsWith("--data_path must be a path without control"));
    }

    @Test
    void hugeValueIsShownShortened() {
        String m = rejection("{\"device\": \"" + "x".repeat(100_000) + "\"}");
        assertTrue(m.contains("(100000 characters)") && m.length() < 300, m);
    }

    @Test
    void twoStartingModelsAreRejected() {
        assertTrue(rejection("{\"load_best\": true, \"load_uid\": 3}").contains("choose one starting model"));
    }

    @Test
    void unknownCompetitionNamesTheIds() {
        String m = rejection("{\"competition_id\": 9}");
        assertTrue(m.startsWith("--competition_id: unknown competition id 9"), m);
    }

    @Test
    void unknownFieldIsRejected() {
        assertThrows(UnrecognizedPropertyException.class, () -> Json.mapper().readValue("{\"lrr\": 1}", RunParams.class));
    }

    @Test
    void wandbEntityWithoutProjectIsRejected() {
        assertTrue(rejection("{\"wandb_entity\": \"me\"}").contains("go together"));
    }

    @Test
    void walletNameWithPathSeparatorIsRejected() {
        assertTrue(rejection("{\"wallet_name\": \"../../etc\"}").contains("--wallet.name"));
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        RunParams p = Json.mapper().readValue("{\"offline\": true, \"avg_loss_upload_threshold\": 0.3}", RunParams.class);
        assertEquals(p, Json.mapper().readValue(Json.mapper().writeValueAsString(p), RunParams.class));
    }

    @Test
    void unknownTrainerIsOneLineNamingTheChoices() {
        String m = rejection("{\"trainer\": \"tensorflow\"}");
        assertEquals("--trainer must be djl (the embedded trainer) or torch (the PyTorch trainer) (got 'tensorflow')", m);
    }

    @Test
    void evalBackendIsDjlUnlessTorchIsAsked() throws Exception {
        assertEquals("djl", RunParams.defaults().evalBackend());
        assertEquals("torch", Json.mapper().readValue("{\"eval_backend\": \"torch\"}", RunParams.class).evalBackend());
        assertEquals("--eval_backend must be djl (this process's DJL model) or torch (transformers in bf16, as"
                + " validators) (got 'jax')", rejection("{\"eval_backend\": \"jax\"}"));
    }

    @Test
    void torchDefaultsToOneLocalProcess() throws Exception {
        RunParams p = Json.mapper().readValue("{\"trainer\": \"torch\"}", RunParams.class);
        assertEquals("local", p.launcher());
        assertEquals(1, p.nprocPerNode());
        assertEquals(1, p.nnodes());
        assertEquals("djl", RunParams.defaults().trainer());
    }

    @Test
    void placingTheJobNeedsTheTorchTrainer() {
        assertTrue(rejection("{\"nproc_per_node\": 2}").endsWith("add --trainer torch"));
        assertTrue(rejection("{\"launcher\": \"slurm\"}").endsWith("add --trainer torch"));
    }

    @Test
    void severalNodesNeedSlurm() {
        assertTrue(rejection("{\"trainer\": \"torch\", \"nnodes\": 2}").startsWith("--nnodes 2 needs --launcher slurm"));
        assertEquals("--slurm_partition needs --launcher slurm",
                rejection("{\"trainer\": \"torch\", \"slurm_partition\": \"gpu\"}"));
        assertTrue(rejection("{\"trainer\": \"torch\", \"launcher\": \"slurm\", \"slurm_partition\": \"a b\"}")
                .startsWith("--slurm_partition must be a partition name"));
    }
}
