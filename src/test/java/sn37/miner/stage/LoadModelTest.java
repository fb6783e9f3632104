package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.time.Clock;
import java.util.HashMap;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Json;
import sn37.miner.config.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.Dtype;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.llama.TinyConfigs;
import sn37.miner.model.llama.UnsupportedModelException;

class LoadModelTest {

    @TempDir
    Path dir;

    private LoadModel.Output run(String paramsJson) throws Exception {
        StageContext ctx = Contexts.context(Contexts.params(paramsJson), dir.resolve("run"),
                new Contexts.Recorded(), () -> false);
        return new LoadModel(Contexts.services(dir)).run(ctx);
    }

    private Path tinyModelDir(Map<String, Object> config) throws Exception {
        Path model = dir.resolve("model");
        try (LlamaModel tiny = LlamaWeights.initialize(TinyConfigs.llamaConfig(config), 1, Device.cpu())) {
            LlamaWeights.save(tiny, model, Dtype.BF16, null);
        }
        return model;
    }

    @Test
    void initialisesTheBundledTinyLlamaUnderTheRunsWorkDir() throws Exception {
        LoadModel.Output out = run("{\"init_config\": \"tiny-llama\", \"seed\": 3}");
        assertEquals("init_config", out.source());
        assertEquals("LlamaForCausalLM", out.architecture());
        assertEquals(dir.resolve("run").resolve(LoadModel.INIT_DIR).toAbsolutePath().toString(), out.modelDir());
        assertTrue(Files.isRegularFile(Path.of(out.modelDir()).resolve("model.safetensors")));
        assertNull(out.tokenizerDir(), "B7 evaluates with the fixed Xenova/gpt-4 tokenizer");
        try (LlamaModel model = LlamaWeights.load(Path.of(out.modelDir()), Device.cpu())) {
            assertEquals(out.parameterCount(), model.config().parameterCount());
            assertEquals(100288, model.config().vocabSize());
        }
    }

    @Test
    void acceptsAValidModelDirectory() throws Exception {
        Path model = tinyModelDir(Map.of("vocab_size", 100352));
        LoadModel.Output out = run("{\"load_model_dir\": \"" + model + "\"}");
        assertEquals(model.toAbsolutePath().toString(), out.modelDir());
        assertEquals("load_model_dir", out.source());
    }

    @Test
    void rejectsAModelSmallerThanTheTokenizersVocabulary() throws Exception {
        Path model = tinyModelDir(Map.of());
        StageException e = assertThrows(StageException.class, () -> run("{\"load_model_dir\": \"" + model + "\"}"));
        assertTrue(e.getMessage().contains("vocab_size 64"), e.getMessage());
    }

    @Test
    void rejectsAnUnsupportedArchitectureNamingIt() throws Exception {
        Path model = tinyModelDir(Map.of("vocab_size", 100352));
        String config = Files.readString(model.resolve(CheckpointDir.CONFIG)).replace("LlamaForCausalLM", "PhiForCausalLM");
        Files.writeString(model.resolve(CheckpointDir.CONFIG), config);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> run("{\"load_model_dir\": \"" + model + "\"}"));
        assertTrue(e.getMessage().contains("not a supported architecture"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("PhiForCausalLM"), "the file's value is not echoed: " + e.getMessage());
    }

    @Test
    void aCompetitionWithoutFixedTokenizerNeedsTheDirectorysOwn() throws Exception {
        Path model = tinyModelDir(Map.of("vocab_size", 100352));
        StageException e = assertThrows(StageException.class,
                () -> run("{\"load_model_dir\": \"" + model + "\", \"competition_id\": 3}"));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        LoadModel.Output init = run("{\"init_config\": \"tiny-llama\", \"competition_id\": 3}");
        assertEquals(init.modelDir(), init.tokenizerDir(), "a fresh model carries the bundled tokenizer");
        assertTrue(Files.isRegularFile(Path.of(init.modelDir()).resolve("tokenizer.json")));
    }

    @Test
    void noStartingModelIsAnErrorListingTheChoices() {
        StageException e = assertThrows(StageException.class, () -> run("{}"));
        assertTrue(e.getMessage().contains("--load_model_dir") && e.getMessage().contains("--init_config"),
                e.getMessage());
    }

    /** StageContexts for stage tests, with earlier outputs recorded as JSON as the run store records them. */
    static final class Contexts {
        private Contexts() {
        }

        static StageServices services(Path home) {
            return new StageServices(new Secrets(Optional.empty(), Optional.empty(), Optional.empty()),
                    new Endpoints("http://127.0.0.1:9", "http://127.0.0.1:9", Map.of()), home, Clock.systemUTC());
        }

        static RunParams params(String json) throws Exception {
            return Json.mapper().readValue(json, RunParams.class);
        }

        /** Outputs of earlier stages as their JSON, read back as the runner reads them. */
        static final class Recorded implements StageContext.Outputs {
            final Map<String, String> json = new HashMap<>();

            void put(String stage, Object outputs) throws Exception {
                json.put(stage, Json.mapper().writeValueAsString(outputs));
            }

            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                String value = json.get(stage);
                if (value == null) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Json.recordReader(type).<T>readValue(value));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        static StageContext context(RunParams params, Path workDir, Recorded outputs, BooleanSupplier cancel) {
            // These stages record no external effects: none is given.
            return StageContexts.of(params, workDir).outputs(outputs).cancel(cancel).build();
        }
    }
}
