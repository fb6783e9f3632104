package sn37.miner.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.model.CheckpointWriter;
import sn37.miner.model.Dtype;
import sn37.miner.model.FloatTensor;
import sn37.miner.model.GenerationConfig;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.TensorData;

/** Tiny Llama checkpoints written by the real CheckpointWriter, wallet files, and constraints with small limits. */
public final class TinyModels {
    /** The test key of chain/vectors.json ("test-hotkey-1"). */
    public static final String HOTKEY = "5GVrJuAMuuoGbyjRnVB4vYiLDsSu8mCuEkR3mVFkPkREa8F5";
    private static final String PUBLIC_KEY = "0xc41e8593917cc0afde75b3243445869e96c579bbbeb3feb95c1a4dc3aa197220";
    private static final String SEED = "0x621fb3df3026b3f44e1c1b2408de1dd932aa2f96529f33937b7f10826b87cb4e";

    private TinyModels() {}

    /** {@code tensors} BF16 tensors of {@code elements} values, split into shards of at most {@code maxShardBytes}. */
    public static Path write(Path dir, int tensors, int elements, long maxShardBytes, long seed) throws IOException {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree("{\"model_type\": \"llama\", \"bos_token_id\": 1,"
                + " \"eos_token_id\": 2, \"hidden_size\": 8}");
        ModelConfig config = new ModelConfig(json).withArchitectures(List.of("LlamaForCausalLM"));
        Random random = new Random(seed);
        List<TensorData> state = new ArrayList<>();
        for (int t = 0; t < tensors; t++) {
            float[] values = new float[elements];
            for (int i = 0; i < elements; i++) {
                values[i] = (float) random.nextGaussian();
            }
            state.add(new FloatTensor("model.layers." + t + ".weight", Dtype.BF16, new long[] {elements}, values));
        }
        CheckpointWriter.write(dir, config, GenerationConfig.fromModelConfig(config), state, maxShardBytes);
        return dir;
    }

    public static void writeText(Path dir, String name, String text) throws IOException {
        Files.createDirectories(dir.resolve(name).getParent());
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** A bittensor wallet dir holding {@code <name>/hotkeys/<hotkey>} for the test key; returns the wallets dir. */
    public static Path wallet(Path wallets, String name, String hotkey) throws IOException {
        Path file = wallets.resolve(name).resolve("hotkeys").resolve(hotkey);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"accountId\":\"" + PUBLIC_KEY + "\",\"publicKey\":\"" + PUBLIC_KEY
                + "\",\"secretPhrase\":null,\"secretSeed\":\"" + SEED + "\",\"ss58Address\":\"" + HOTKEY + "\"}");
        // key files are owner-only, as btcli writes them; the wallet refuses world-readable ones
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return wallets;
    }

    /** B7's constraints (fixed tokenizer) with another size limit. */
    public static ModelConstraints b7(long maxBytes) {
        return with(ModelConstraints.B7_OCT_2024, maxBytes, ModelConstraints.B7_OCT_2024.tokenizer());
    }

    /** INSTRUCT_8B-like: bring-your-own tokenizer, with another size limit. */
    public static ModelConstraints ownTokenizer(long maxBytes) {
        return with(ModelConstraints.INSTRUCT_8B, maxBytes, null);
    }

    private static ModelConstraints with(ModelConstraints c, long maxBytes, String tokenizer) {
        return new ModelConstraints(c.maxParams(), c.minParams(), c.sequenceLength(), c.allowedArchitectures(),
                tokenizer, c.torchDtype(), c.evalBlockDelay(), c.epsilon(), maxBytes, c.normValidation());
    }
}
