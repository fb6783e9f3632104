package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.train.ChatExample;

class TrainMemoryCheckTest {
    @TempDir Path dir;

    /** Competition 4's shape (about 3.4 B parameters, untied) as a start model's config.json. */
    private Path competition4Model() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 3072,
                 "num_hidden_layers": 28, "num_attention_heads": 24, "num_key_value_heads": 8,
                 "intermediate_size": 8192, "vocab_size": 100288, "max_position_embeddings": 16384,
                 "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "tie_word_embeddings": false,
                 "hidden_act": "silu", "torch_dtype": "bfloat16"}""");
        return dir;
    }

    private static List<ChatExample> examples(int length, int answer) {
        return List.of(new ChatExample(new long[length], length - answer));
    }

    private static RunParams params(String json) throws Exception {
        return Json.mapper().readValue(json, RunParams.class);
    }

    @Test
    void aFullFineTuneOfA3bModelOnOne48GibGpuIsRefusedNamingAPlanThatFits() throws Exception {
        LaunchSettings launch = new LaunchSettings(dir.resolve("python"), dir, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), 48);
        StageException e = assertThrows(StageException.class, () -> TrainMemoryCheck.require(
                params("{\"trainer\": \"torch\", \"device\": \"cuda\"}"), 1, launch, competition4Model(),
                examples(16_384, 16_000), 16_384));
        assertTrue(e.getMessage().startsWith("the plan ("), e.getMessage());
        assertTrue(e.getMessage().contains("48.0 GiB"), e.getMessage());
        assertTrue(e.getMessage().contains("fits"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void loraOnTheSameGpuPasses() throws Exception {
        LaunchSettings launch = new LaunchSettings(dir.resolve("python"), dir, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), 48);
        var plan = TrainMemoryCheck.require(params("{\"trainer\": \"torch\", \"device\": \"cuda\", \"lora_rank\": 16}"),
                1, launch, competition4Model(), examples(16_384, 4_000), 16_384);
        assertTrue(plan.total() < 48L << 30);
    }
}
