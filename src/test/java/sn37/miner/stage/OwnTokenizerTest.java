package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.fake.FakeHub;
import sn37.miner.hub.UploadListener;
import sn37.miner.model.Dtype;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.llama.TinyConfigs;
import sn37.miner.model.tokenizer.ChatPromptEncoder;
import sn37.miner.model.tokenizer.ChatTokenizer;
import sn37.miner.publish.FakeHubClients;
import sn37.miner.publish.ModelFileSet;
import sn37.miner.publish.PublishException;
import sn37.miner.publish.PublishedModel;
import sn37.miner.publish.TinyModels;

/**
 * A competition without a fixed tokenizer (INSTRUCT_8B) is scored with the tokenizer in the model's own repo: the
 * model dir's tokenizer is the one load-model checks, train learns with and ships, evaluate prompts with, and upload
 * publishes; a dir without it is refused before the Hub hears of it.
 */
class OwnTokenizerTest {
    private static final String PROMPT = "Which planet is largest?";
    private static final String REPO = FakeHub.USER + "/own-tokenizer";

    @TempDir
    Path dir;

    private final LoadModelTest.Contexts.Recorded outputs = new LoadModelTest.Contexts.Recorded();

    /**
     * A tiny Llama (vocab 64) with a tokenizer of its own: a word-level vocabulary of 40 ids (ChatML markers, the
     * letters A to D, a few words; every other word is [UNK]) under the ChatML template, nothing like the fixed
     * Xenova/gpt-4 tokenizer.
     */
    private Path ownModel() throws Exception {
        Path own = dir.resolve("own-model");
        try (LlamaModel tiny = LlamaWeights.initialize(TinyConfigs.llamaConfig(
                Map.of("max_position_embeddings", 4096)), 1, Device.cpu())) {
            LlamaWeights.save(tiny, own, Dtype.BF16, null);
        }
        ObjectNode tokenizer = Json.mapper().createObjectNode().put("version", "1.0");
        tokenizer.putNull("truncation");
        tokenizer.putNull("padding");
        ArrayNode added = tokenizer.putArray("added_tokens");
        List<String> special = List.of("[UNK]", "<|im_start|>", "<|im_end|>");
        for (int id = 0; id < special.size(); id++) {
            added.addObject().put("id", id).put("content", special.get(id)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        tokenizer.putNull("normalizer");
        tokenizer.putObject("pre_tokenizer").put("type", "Whitespace");
        tokenizer.putNull("post_processor");
        tokenizer.putNull("decoder");
        ObjectNode model = tokenizer.putObject("model").put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        List<String> words = new ArrayList<>(special);
        words.addAll(List.of("user", "assistant", "system", "A", "B", "C", "D", "The", "the", "answer", "is", "of",
                "a", "to", "in", "and", "What", "Which", "?", ".", ",", ":", "(", ")", "1", "2", "3", "4", "5", "6",
                "7", "8", "9"));
        for (int id = 0; id < words.size(); id++) vocab.put(words.get(id), id);
        model.put("unk_token", "[UNK]");
        Files.writeString(own.resolve(ChatTokenizer.TOKENIZER_JSON), Json.mapper().writeValueAsString(tokenizer));
        ObjectNode config = Json.mapper().createObjectNode().put("eos_token", "<|im_end|>").put("unk_token", "[UNK]")
                .put("chat_template", "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
                        + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
                        + "{{ '<|im_start|>assistant\\n' }}{% endif %}");
        Files.writeString(own.resolve(ChatTokenizer.TOKENIZER_CONFIG), Json.mapper().writeValueAsString(config));
        return own;
    }

    private static int[] prompt(ChatTokenizer tokenizer) {
        try (tokenizer) {
            return new ChatPromptEncoder(tokenizer).encodeChat(PROMPT);
        }
    }

    @Test
    void theModelsOwnTokenizerGoesThroughLoadTrainEvaluateAndUpload() throws Exception {
        Path own = ownModel();
        int[] ownPrompt = prompt(ChatTokenizer.fromDir(own));
        assertFalse(Arrays.equals(ownPrompt, prompt(ChatTokenizer.bundled())), "the test needs a tokenizer of its own");

        String paramsJson = "{\"load_model_dir\": \"" + own + "\", \"competition_id\": 3, \"offline\": true,"
                + " \"max_steps\": 1, \"batch_size\": 4, \"accumulation_steps\": 1}";
        RunParams params = LoadModelTest.Contexts.params(paramsJson);
        Path run = dir.resolve("run");
        LoadModel.Output loaded = new LoadModel(LoadModelTest.Contexts.services(dir))
                .run(LoadModelTest.Contexts.context(params, run, outputs, () -> false));
        assertEquals(own.toString(), loaded.tokenizerDir());
        outputs.put(StageNames.LOAD_MODEL, loaded);

        List<McSample> samples = JsonlSampleSource.bundled().load().samples();
        Path train = SnapshotWriter.write(samples.subList(0, 4), run.resolve("data/train.jsonl")).path();
        Path eval = SnapshotWriter.write(samples.subList(4, 6), run.resolve("data/eval.jsonl")).path();
        outputs.put(StageNames.FETCH_DATA, FetchOutputs.heldOut(train, eval));

        Train.Output trained = new Train(LoadModelTest.Contexts.services(dir))
                .run(LoadModelTest.Contexts.context(params, run, outputs, () -> false));
        assertEquals(1, trained.steps());
        Path best = Path.of(trained.modelDir());
        for (String file : List.of(ChatTokenizer.TOKENIZER_JSON, ChatTokenizer.TOKENIZER_CONFIG)) {
            assertEquals(-1, Files.mismatch(own.resolve(file), best.resolve(file)), file + " ships with the model");
        }
        outputs.put(StageNames.TRAIN, trained);

        List<int[]> evaluatedWith = new ArrayList<>();
        ModelOpener recording = (modelDir, p) -> {
            ModelOpener.OpenModel opened = new DjlModelOpener().open(modelDir, p);
            evaluatedWith.add(opened.encoder().encodeChat(PROMPT));
            return opened;
        };
        // INSTRUCT_8B as its validators ran it (block 4,700,000 of HEAD's schedule)
        Evaluate.Output scored = new Evaluate(LoadModelTest.Contexts.services(dir), recording,
                new Evaluate.ScoringSettings("later", 4_700_000, 8, 1))
                .run(LoadModelTest.Contexts.context(params, run, outputs, () -> false));
        assertEquals(3, scored.competitionId());
        assertEquals(2, scored.questions());
        assertEquals(1, evaluatedWith.size());
        assertArrayEquals(ownPrompt, evaluatedWith.get(0), "evaluate prompts with the model's own tokenizer");

        Path wallets = TinyModels.wallet(dir.resolve("wallets"), "miner", "hot");
        try (FakeHubClients hub = new FakeHubClients();
                UploadHarness upload = new UploadHarness(dir.resolve("upload"), hub.fake.endpoint(),
                        FakeHubClients.WRITE_TOKEN, LoadModel::constraints, 1)) {
            PublishedModel published = upload.run(uploadParams(best, wallets));
            assertEquals(3, published.competitionId());
            Map<String, byte[]> head = hub.fake.headFiles(REPO);
            for (String file : List.of(ChatTokenizer.TOKENIZER_JSON, ChatTokenizer.TOKENIZER_CONFIG)) {
                assertArrayEquals(Files.readAllBytes(own.resolve(file)), head.get(file), file + " on the Hub");
            }
            hub.assertNoViolations();
        }
    }

    @Test
    void anUploadWithoutTheTokenizerIsRefusedNamingTheMissingFilesBeforeAnyHubRequest() throws Exception {
        Path model = TinyModels.write(dir.resolve("model"), 2, 1_000, 1_000_000, 3);
        Files.writeString(model.resolve(ChatTokenizer.TOKENIZER_JSON), "{}");
        Path wallets = TinyModels.wallet(dir.resolve("wallets"), "miner", "hot");
        try (FakeHubClients hub = new FakeHubClients();
                UploadHarness upload = new UploadHarness(dir.resolve("upload"), hub.fake.endpoint(),
                        FakeHubClients.WRITE_TOKEN, LoadModel::constraints, 1)) {
            StageException e = assertThrows(StageException.class,
                    () -> upload.run(uploadParams(model, wallets)));
            assertTrue(e.getMessage().contains("has no tokenizer_config.json:"), e.getMessage());
            assertFalse(e.getMessage().contains("no tokenizer.json"), e.getMessage());
            assertEquals(0, hub.fake.totalRequests(), "nothing may reach the Hub before the file set is complete");

            Files.delete(model.resolve(ChatTokenizer.TOKENIZER_JSON));
            e = assertThrows(StageException.class, () -> upload.run(uploadParams(model, wallets)));
            assertTrue(e.getMessage().contains("has no tokenizer.json and no tokenizer_config.json"), e.getMessage());
            assertEquals(0, hub.fake.totalRequests());
        }
    }

    @Test
    void aModelWhoseOwnTokenizerHasMoreIdsThanItsVocabularyIsRefused() throws Exception {
        Path small = dir.resolve("small");
        try (LlamaModel tiny = LlamaWeights.initialize(TinyConfigs.llamaConfig(Map.of()), 1, Device.cpu())) {
            LlamaWeights.save(tiny, small, Dtype.BF16, null);
        }
        for (String file : List.of(ChatTokenizer.TOKENIZER_JSON, ChatTokenizer.TOKENIZER_CONFIG)) {
            try (InputStream in = OwnTokenizerTest.class.getResourceAsStream("/tokenizer/gpt-4/" + file)) {
                Files.copy(in, small.resolve(file));
            }
        }
        StageException e = assertThrows(StageException.class, () -> new LoadModel(LoadModelTest.Contexts.services(dir))
                .run(LoadModelTest.Contexts.context(LoadModelTest.Contexts.params("{\"load_model_dir\": \"" + small
                        + "\", \"competition_id\": 3}"), dir.resolve("run"), outputs, () -> false)));
        assertTrue(e.getMessage().contains("vocab_size 64 is smaller than the tokenizer's"), e.getMessage());
        assertTrue(e.getMessage().contains(small.toString()), "names the dir whose tokenizer it read: " + e.getMessage());
        // and an upload of it, which validators would score with that tokenizer, is refused before anything is sent
        PublishException refused = assertThrows(PublishException.class, () -> ModelFileSet.of(small, true));
        assertTrue(refused.getMessage().contains("more than the vocab_size 64 of config.json"), refused.getMessage());
    }

    private static RunParams uploadParams(Path model, Path wallets) throws Exception {
        return Json.mapper().readValue("{\"hf_repo_id\": \"" + REPO + "\", \"upload_dir\": \"" + model
                + "\", \"competition_id\": 3, \"wallet_path\": \"" + wallets + "\", \"wallet_name\": \"miner\","
                + " \"wallet_hotkey\": \"hot\"}", RunParams.class);
    }
}
