package sn37.miner.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.tokenizer.ChatTokenizer;

/**
 * The files of a local model dir that go to the Hub: exactly {@link TransformersFiles}' set, found and checked
 * without the network. Everything else in the dir (optimizer state, logs, stray shards of an older save) is listed
 * as {@code ignored} and not uploaded.
 *
 * @param files relative paths, sorted
 * @param architecture {@code architectures[0]} of config.json, the class validators instantiate
 */
public record ModelFileSet(Path dir, List<String> files, List<String> ignored, String architecture) {

    public ModelFileSet {
        files = List.copyOf(files);
        ignored = List.copyOf(ignored);
    }

    /** @param withTokenizer include the tokenizer files present (bring-your-own-tokenizer competitions) */
    public static ModelFileSet of(Path dir, boolean withTokenizer) {
        if (!Files.isDirectory(dir)) {
            throw new PublishException("model dir " + dir + " does not exist or is not a directory; pass the"
                    + " directory save_pretrained wrote (upload_dir, or the train stage's modelDir)");
        }
        Set<String> all = listFiles(dir);
        String where = "model dir " + dir;
        for (String path : all) {
            if (TransformersFiles.isBinWeights(path)) {
                throw new PublishException(where + " holds PyTorch .bin weights (" + path + "): validators load"
                        + " safetensors only. Save with save_pretrained(safe_serialization=True) and remove the .bin files");
            }
        }
        if (!all.contains(TransformersFiles.CONFIG)) {
            throw new PublishException(where + " has no " + TransformersFiles.CONFIG + ": save the model with"
                    + " save_pretrained, which writes it next to the weights");
        }
        Set<String> chosen = new TreeSet<>();
        chosen.add(TransformersFiles.CONFIG);
        if (all.contains(TransformersFiles.GENERATION_CONFIG)) {
            chosen.add(TransformersFiles.GENERATION_CONFIG);
        }
        boolean single = all.contains(TransformersFiles.SINGLE_WEIGHTS);
        boolean sharded = all.contains(TransformersFiles.INDEX);
        if (single && sharded) {
            // from_pretrained would take model.safetensors and ignore the index: one of them is a stale leftover.
            throw new PublishException(where + " has both " + TransformersFiles.SINGLE_WEIGHTS + " and "
                    + TransformersFiles.INDEX + "; transformers would load the single file. Delete the one that is"
                    + " left over from an older save");
        }
        if (!single && !sharded) {
            throw new PublishException(where + " has no safetensors weights (" + TransformersFiles.SINGLE_WEIGHTS
                    + ", or " + TransformersFiles.INDEX + " with its shards); save with save_pretrained");
        }
        if (single) {
            chosen.add(TransformersFiles.SINGLE_WEIGHTS);
        } else {
            chosen.add(TransformersFiles.INDEX);
            for (String shard : TransformersFiles.shardsOf(read(dir.resolve(TransformersFiles.INDEX)), where)) {
                if (!all.contains(shard)) {
                    // only a name of save_pretrained's own form is repeated: the index is the user's file
                    String named = shard.matches("model-\\d{1,6}-of-\\d{1,6}\\.safetensors") ? "shard " + shard
                            : "a shard";
                    throw new PublishException(where + ": " + TransformersFiles.INDEX + " names " + named
                            + ", which is missing; copy the complete save_pretrained output");
                }
                chosen.add(shard);
            }
        }
        if (withTokenizer) {
            requireTokenizer(dir, all);
            TransformersFiles.TOKENIZER.stream().filter(all::contains).forEach(chosen::add);
        }
        ModelConfig config = checkWeights(dir);
        if (withTokenizer) requireVocabularyFits(dir, config);
        String architecture = config.architectures().get(0);
        List<String> ignored = new ArrayList<>(all);
        ignored.removeAll(chosen);
        return new ModelFileSet(dir, new ArrayList<>(chosen), ignored, architecture);
    }

    /**
     * For a competition without a fixed tokenizer: the dir holds {@link TransformersFiles#TOKENIZER_REQUIRED}, since
     * validators evaluate the model with the tokenizer of its own repo.
     */
    public static void requireTokenizer(Path dir) {
        requireTokenizer(dir, listFiles(dir));
    }

    private static void requireTokenizer(Path dir, Set<String> all) {
        List<String> missing = TransformersFiles.TOKENIZER_REQUIRED.stream().filter(f -> !all.contains(f)).toList();
        if (!missing.isEmpty()) {
            throw new PublishException("model dir " + dir + " has no " + String.join(" and no ", missing) + ": this"
                    + " competition has no fixed tokenizer, so validators evaluate every model with the tokenizer in"
                    + " its own repo. Copy the tokenizer files the model was trained with ("
                    + String.join(", ", TransformersFiles.TOKENIZER_REQUIRED) + ") into the directory");
        }
    }

    /** Every id the dir's own tokenizer can produce has a row in the model's embedding. */
    private static void requireVocabularyFits(Path dir, ModelConfig config) {
        long ids;
        try {
            ids = ChatTokenizer.vocabularySize(dir);
        } catch (IOException | RuntimeException e) {
            throw new PublishException("model dir " + dir + ": its " + TransformersFiles.TOKENIZER_REQUIRED.get(0)
                    + " cannot be read (" + e.getMessage() + "); copy the tokenizer the model was trained with", e);
        }
        Optional<Long> vocab = config.longValue("vocab_size");
        if (vocab.isPresent() && ids > vocab.get()) {
            throw new PublishException("model dir " + dir + ": its tokenizer has " + ids + " ids, more than the"
                    + " vocab_size " + vocab.get() + " of config.json, so validators would feed the model ids its"
                    + " embedding does not have; upload the tokenizer the model was trained with");
        }
    }

    /** Opens the weights as a loader would (every shard parses, the index matches them); the config names a class. */
    private static ModelConfig checkWeights(Path dir) {
        try (CheckpointDir checkpoint = CheckpointDir.open(dir)) {
            ModelConfig config = checkpoint.config();
            if (config.architectures().isEmpty()) {
                throw new PublishException("model dir " + dir + ": config.json has no 'architectures'; validators"
                        + " instantiate architectures[0], e.g. [\"LlamaForCausalLM\"]");
            }
            return config;
        } catch (IOException e) {
            throw new PublishException("model dir " + dir + " cannot be loaded: " + e.getMessage()
                    + ". Write it again with save_pretrained", e);
        }
    }

    private static Set<String> listFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            Set<String> out = new TreeSet<>();
            walk.filter(Files::isRegularFile)
                    .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
            return out;
        } catch (IOException e) {
            throw new PublishException("cannot list model dir " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PublishException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
