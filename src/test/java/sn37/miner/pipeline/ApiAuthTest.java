package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiAuthTest {
    @TempDir Path dir;

    @Test
    void configuredTokenGuardsMutatingCallsOnly() throws Exception {
        String token = "sentinel-api-token-3b9f";
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.api.token", token)),
                TestServer.builtIn())) {
            var denied = HttpResponseAssert.status(401, "Authorization: Bearer",
                    t.post("/api/stages/gate", "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}"));
            assertFalse(denied.toString().contains(token));
            HttpResponseAssert.status(401, "Authorization", t.post("/api/runs", "{}", "Authorization", "Bearer wrong"));
            assertEquals(202, t.post("/api/stages/gate", "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}",
                    "Authorization", "Bearer " + token).statusCode());
            assertEquals(200, t.get("/api/runs").statusCode(), "reads need no token");
        }
    }
}
