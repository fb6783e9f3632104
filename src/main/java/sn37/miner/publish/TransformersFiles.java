package sn37.miner.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import sn37.miner.io.JsonSyntax;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.ShardPlan;

/**
 * The files {@code from_pretrained} fetches, and so the files validators hash (reference-miner.md §2.2): config.json,
 * generation_config.json when present, {@code model.safetensors} or the index and every shard it names, and (taoverse
 * 1.2.0 onwards) what {@code AutoTokenizer.from_pretrained} fetches. {@code PreTrainedTokenizerBase.from_pretrained}
 * always asks for the four "additional" files and the class's vocab files; vocab.json and merges.txt are those of the
 * BPE tokenizers (GPT-2 style, cl100k included). From transformers 4.47 (validators run 4.48.3 at HEAD) it also asks
 * for {@code chat_template.jinja}, the template a tokenizer saved apart from its config, and prefers it to the config's.
 */
public final class TransformersFiles {
    public static final String CONFIG = CheckpointDir.CONFIG;
    public static final String GENERATION_CONFIG = CheckpointDir.GENERATION_CONFIG;
    public static final String SINGLE_WEIGHTS = ShardPlan.SINGLE_FILE;
    public static final String INDEX = CheckpointDir.INDEX;
    public static final List<String> TOKENIZER = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt", "chat_template.jinja");
    /**
     * The tokenizer files a bring-your-own-tokenizer model must ship: the tokenizer itself, and its config with the
     * eos_token and chat template that validators' prompts and generation use.
     */
    public static final List<String> TOKENIZER_REQUIRED = List.of("tokenizer.json", "tokenizer_config.json");
    /**
     * Files an upload leaves in place: the Hub's own .gitattributes (its LFS rules), and a model card someone wrote.
     * Neither is downloaded by from_pretrained, so neither changes the hash; both count toward the size limit.
     */
    public static final Set<String> KEPT_ON_HUB = Set.of(".gitattributes", "README.md");

    // transformers' pytorch weights: pytorch_model.bin, pytorch_model-00001-of-00002.bin and their index.
    private static final Pattern BIN_WEIGHTS = Pattern.compile("(pytorch_)?model(-\\d+-of-\\d+)?\\.bin(\\.index\\.json)?");
    private static final Pattern SHARD_NAME = Pattern.compile("[^/\\\\]+\\.safetensors");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransformersFiles() {}

    public static boolean isBinWeights(String fileName) {
        return BIN_WEIGHTS.matcher(fileName).matches();
    }

    /** The shard names an index's {@code weight_map} points at, sorted, each checked to be a plain file name. */
    public static List<String> shardsOf(byte[] indexJson, String where) {
        JsonNode map;
        try {
            map = JSON.readTree(indexJson).path("weight_map");
        } catch (IOException e) {
            // Jackson's message quotes the file's text
            String why = e instanceof com.fasterxml.jackson.core.JacksonException j ? JsonSyntax.describe(j) : "unreadable";
            throw new PublishException(where + ": " + INDEX + " is not valid JSON (" + why
                    + "); write the model again with save_pretrained");
        }
        if (!map.isObject() || map.isEmpty()) {
            throw new PublishException(where + ": " + INDEX + " has no weight_map; write the model again with"
                    + " save_pretrained");
        }
        Set<String> shards = new TreeSet<>();
        map.forEach(value -> {
            String shard = value.asText();
            if (!SHARD_NAME.matcher(shard).matches()) {
                throw new PublishException(where + ": " + INDEX + " names a shard that is not a .safetensors file"
                        + " next to the index");
            }
            shards.add(shard);
        });
        return List.copyOf(shards);
    }
}
