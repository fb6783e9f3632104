package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;

/**
 * Every parameter is checked before the run is queued: a competition evaluate cannot score, a device this machine
 * lacks, a model dir or data file that is not there, or a path outside the configured roots gets 400 naming the
 * parameter, and no run. Before, each got 202 and failed stages later (competition 3 in evaluate after training).
 */
class RunPreflightApiTest {
    private static final String CANARY = "HF_ACCESS_TOKEN=hf_canary_5be1d9f0c2";

    @TempDir Path dir;
    TestServer t;
    Path data;
    Path models;
    Path secret;

    @BeforeEach
    void start() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        models = Files.createDirectories(dir.resolve("models"));
        secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("secret.env"), CANARY + "\n");
        t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.api.data-root", data.toString(),
                "pipeline.api.models-root", models.toString(), "pipeline.api.max-data-bytes", "1000")),
                TestServer.builtIn());
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private void refused(String path, String body, String... expected) throws Exception {
        HttpResponse<String> r = t.post(path, body);
        assertEquals(400, r.statusCode(), body + " -> " + r.body());
        JsonNode error = Json.mapper().readTree(r.body());
        for (String e : expected) assertTrue(error.path("detail").asText().contains(e), body + " -> " + r.body());
        assertFalse(r.body().contains("hf_canary"), "the file's content leaked: " + r.body());
        assertEquals(0, t.server.store().list(null, 10).size(), "a refused request queued a run: " + body);
    }

    private static String json(String field, Object value) throws Exception {
        return "{\"offline\": true, \"" + field + "\": " + Json.mapper().writeValueAsString(value) + "}";
    }

    @Test
    void refusesACompetitionEvaluateDoesNotScore() throws Exception {
        refused("/api/runs", "{\"offline\": true, \"init_config\": \"tiny-llama\", \"competition_id\": 3}",
                "--competition_id 3 (INSTRUCT_8B) is not live", "2 (B7_MULTI_CHOICE)", "4 (DISTILLED_REASONING_3B)");
    }

    @Test
    void refusesCudaWhereTheEngineSeesNoGpu() throws Exception {
        Assumptions.assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        refused("/api/runs", "{\"offline\": true, \"init_config\": \"tiny-llama\", \"device\": \"cuda\"}", "--device cuda");
        refused("/api/runs", "{\"offline\": true, \"init_config\": \"tiny-llama\", \"device\": \"cuda:1\"}",
                "--device cuda:1");
    }

    @Test
    void refusesModelDirsThatAreNotReadableDirectories() throws Exception {
        refused("/api/runs", json("load_model_dir", models.resolve("nonexistent").toString()),
                "--load_model_dir", "does not exist");
        Path file = Files.writeString(models.resolve("config.json"), "{}");
        refused("/api/runs", json("load_model_dir", file.toString()), "--load_model_dir", "is not a directory");
        refused("/api/runs", "{\"offline\": true, \"gate\": \"beat-best\", \"incumbent_dir\": "
                + Json.mapper().writeValueAsString(models.resolve("gone").toString()) + "}", "--incumbent_dir");
        refused("/api/stages/upload", "{\"hf_repo_id\": \"me/model\", \"upload_dir\": "
                + Json.mapper().writeValueAsString(models.resolve("gone").toString()) + "}", "upload_dir");
        refused("/api/runs", json("init_config", "no-such-config"), "--init_config", "must lie under " + models);
        refused("/api/runs", json("init_config", models.resolve("missing.json").toString()), "--init_config",
                "does not exist");
    }

    @Test
    void refusesDataFilesThatAreNotSmallRegularFiles() throws Exception {
        refused("/api/runs", json("data_path", data.resolve("missing.jsonl").toString()), "--data_path", "does not exist");
        refused("/api/runs", json("data_path", data.toString()), "--data_path", "not a regular file");
        Path big = Files.writeString(data.resolve("big.jsonl"), "x".repeat(1001));
        refused("/api/runs", json("data_path", big.toString()), "--data_path", "over the limit of 1000 bytes");
        refused("/api/runs", "{\"offline\": false, \"data_source\": \"hf\", \"data_path\": "
                + Json.mapper().writeValueAsString(data.resolve("x.jsonl").toString()) + "}", "--data_path is for");
    }

    @Test
    void refusesPathsOutsideTheRootsWithoutSayingWhatIsThere() throws Exception {
        refused("/api/runs", json("data_path", secret.toString()), "--data_path must lie under " + data,
                "pipeline.api.data-root");
        refused("/api/runs", json("data_path", data.resolve("../outside/secret.env").toString()), "must lie under " + data);
        refused("/api/runs", json("data_path", "/dev/zero"), "must lie under " + data);
        // a missing file outside reads the same as an existing one: no probing of the file system
        refused("/api/runs", json("data_path", dir.resolve("outside/nothing.jsonl").toString()), "must lie under " + data);
        Path link = Files.createSymbolicLink(data.resolve("link.jsonl"), secret);
        refused("/api/runs", json("data_path", link.toString()), "must lie under " + data);
        Path dirLink = Files.createSymbolicLink(models.resolve("elsewhere"), dir.resolve("outside"));
        refused("/api/runs", json("load_model_dir", dirLink.toString()), "--load_model_dir must lie under " + models,
                "pipeline.api.models-root");
        refused("/api/runs", json("init_config", secret.toString()), "--init_config must lie under " + models);
        refused("/api/runs", json("model_dir", dir.resolve("outside/out").toString()), "--model_dir must lie under");
        // elsewhere/.. is where the link leads, up one: outside the root, though it reads as models/escaped
        refused("/api/runs", json("model_dir", dirLink + "/../escaped"), "--model_dir must lie under");
        refused("/api/runs", json("load_model_dir", "../../.."), "--load_model_dir must lie under");
    }

    @Test
    void acceptsFilesUnderTheRoots() throws Exception {
        Path ok = Files.writeString(data.resolve("ok.jsonl"), "{}\n");
        HttpResponse<String> r = t.post("/api/stages/fetch-data", json("data_path", ok.toString()));
        assertEquals(202, r.statusCode(), r.body());
        Path model = Files.createDirectories(models.resolve("m"));
        assertEquals(202, t.post("/api/stages/load-model", json("load_model_dir", model.toString())).statusCode());
        assertEquals(202, t.post("/api/runs", "{\"offline\": true, \"init_config\": \"tiny-llama\", \"model_dir\": "
                + Json.mapper().writeValueAsString(models.resolve("new/out").toString()) + "}").statusCode());
    }
}
