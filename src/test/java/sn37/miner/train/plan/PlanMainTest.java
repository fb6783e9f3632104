package sn37.miner.train.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanMainTest {

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("config.json");
        Files.writeString(config, "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 3072,"
                + " \"num_hidden_layers\": 28, \"num_attention_heads\": 24, \"num_key_value_heads\": 8,"
                + " \"intermediate_size\": 8192, \"vocab_size\": 100288, \"tie_word_embeddings\": false}");
    }

    @Test
    void printsThePlansComponents() throws IOException {
        ObjectNode out = PlanMain.run(new String[] {config.toString(), "--sequence-length", "16384", "--world-size",
            "4"});
        MemoryPlan plan = MemoryPlanner.plan(PlanRequest.torch(MemoryPlannerTest.C4, 16384, 1, 4));
        assertEquals(3_434_916_864L, out.get("parameters").asLong());
        assertEquals(plan.weights(), out.get("weights_bytes").asLong());
        assertEquals(plan.total(), out.get("total_bytes").asLong());
        assertEquals(plan.total() - plan.overhead(), out.get("tensors_bytes").asLong());
        assertTrue(out.get("device_bytes").isNull());
    }

    @Test
    void withDeviceBytesSaysWhetherItFitsAndWhatDjlCanRun() throws IOException {
        ObjectNode out = PlanMain.run(new String[] {config.toString(), "--sequence-length", "16384",
            "--device-bytes", String.valueOf(49_140L << 20)});
        assertFalse(out.get("fits").asBoolean());
        assertTrue(out.get("refusal").asText().endsWith("FSDP over 4 GPUs fits in 46.2 GiB"));
        assertEquals(0, out.get("djl_max_sequence_length").get("full").asInt());
        assertEquals(1024, out.get("djl_max_sequence_length").get("lora_16").asInt());
    }

    @Test
    void plansTheDjlTrainerInFloat32() throws IOException {
        ObjectNode out = PlanMain.run(new String[] {config.toString(), "--trainer", "djl", "--sequence-length",
            "1024"});
        assertEquals(MemoryPlanner.plan(PlanRequest.djl(MemoryPlannerTest.C4, 1024, 1)).total(),
                out.get("total_bytes").asLong());
    }

    @Test
    void refusesBadArgumentsInOneLine() {
        assertEquals("--batch must be >= 1", assertThrows(IllegalArgumentException.class,
                () -> PlanMain.run(new String[] {config.toString(), "--batch", "0"})).getMessage());
        assertEquals("--dtype must be bfloat16 or float32", assertThrows(IllegalArgumentException.class,
                () -> PlanMain.run(new String[] {config.toString(), "--dtype", "fp8"})).getMessage());
        assertEquals("--trainer must be one of [torch, djl]", assertThrows(IllegalArgumentException.class,
                () -> PlanMain.run(new String[] {config.toString(), "--trainer", "jax"})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PlanMain.run(new String[] {config.toString(), "--trainer", "djl", "--fsdp", "true"}))
                .getMessage().startsWith("the DJL trainer trains in float32"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PlanMain.run(new String[] {config.toString(), "--bogus", "1"})).getMessage()
                .startsWith("unknown flag at argument 2"));
        assertEquals("no config.json at " + dir.resolve("nope.json"), assertThrows(IllegalArgumentException.class,
                () -> PlanMain.run(new String[] {dir.resolve("nope.json").toString()})).getMessage());
    }
}
