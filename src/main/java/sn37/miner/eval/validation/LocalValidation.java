package sn37.miner.eval.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.Dtype;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.TensorInfo;

/**
 * The checks validators apply to a downloaded model before scoring it (taoverse {@code ModelUpdater}, §4.4 of the
 * reference), run on the local directory without loading the model: total size ≤ {@code max_bytes}, parameter
 * count within the competition's bounds, the model class in the allowed list, and {@link NormCheck}. The first
 * failing check is the reason.
 */
public final class LocalValidation {

    /**
     * What was found; fields that were not reached are null.
     *
     * @param sizeBytes all regular files under the directory, as the repo validators download
     * @param parameters {@code sum(p.numel() for p in model.parameters())}: shared (tied) weights once
     */
    public record Result(
            boolean passed, String reason, Long sizeBytes, Long parameters, String modelClass,
            Map<String, Double> normFractions, Double maxNorm) {}

    private LocalValidation() {}

    public static Result validate(Path modelDir, ModelConstraints constraints) {
        long size;
        try {
            size = directorySize(modelDir);
        } catch (IOException | UncheckedIOException e) {
            return new Result(false, "cannot read model directory " + modelDir + ": " + e.getMessage(),
                    null, null, null, null, null);
        }
        if (size > constraints.maxBytes()) {
            return new Result(false, "model directory holds " + size + " bytes, more than the competition's"
                    + " max_bytes " + constraints.maxBytes(), size, null, null, null, null);
        }
        try (CheckpointDir checkpoint = CheckpointDir.open(modelDir)) {
            ModelConfig config = checkpoint.config();
            String modelType = text(config.json().get("model_type"));
            Optional<ModelClass.Known> known = ModelClass.of(modelType);
            long params = parameters(checkpoint, known.map(ModelClass.Known::tiesEmbeddingsByDefault).orElse(true));
            if (!constraints.allowsParams(params)) {
                return new Result(false, params + " parameters, outside the competition's bounds ["
                        + constraints.minParams() + ", " + constraints.maxParams() + "]", size, params, null, null, null);
            }
            if (known.isEmpty() || !constraints.allowsArchitecture(known.get().className())) {
                String found = known.map(k -> k.className() + " (model_type '" + modelType + "')")
                        .orElse("model_type " + (modelType == null ? "missing" : "'" + modelType + "'"));
                return new Result(false, found + " is not an allowed architecture; allowed: "
                        + constraints.allowedArchitectures(), size, params, known.map(ModelClass.Known::className)
                        .orElse(null), null, null);
            }
            String modelClass = known.get().className();
            int layers = config.longValue("num_hidden_layers").map(Long::intValue).orElse(0);
            NormCheck.Result norms = NormCheck.check(checkpoint, layers, constraints.normValidation(),
                    loadedDtype(constraints.torchDtype()));
            return new Result(norms.passed(), norms.passed() ? "passed: " + norms.reason() : norms.reason(), size,
                    params, modelClass, norms.fractions(), norms.maxNorm());
        } catch (IOException | RuntimeException e) {
            return new Result(false, "cannot read the model in " + modelDir + ": " + e.getMessage(), size, null, null,
                    null, null);
        }
    }

    /**
     * Elements of every stored tensor, counting a tied output embedding once; a non-persistent rotary buffer that an
     * old checkpoint may carry is not a parameter. With untied embeddings and no {@code lm_head.weight} stored,
     * transformers still creates one (randomly initialised), so it is counted.
     */
    static long parameters(CheckpointDir checkpoint, boolean tiesByDefault) {
        JsonNode tie = checkpoint.config().json().get("tie_word_embeddings");
        boolean tied = tie != null && tie.isBoolean() ? tie.booleanValue() : tiesByDefault;
        long count = 0;
        boolean hasHead = false;
        Long embedding = null;
        for (TensorInfo t : checkpoint.tensors()) {
            if (t.name().endsWith("rotary_emb.inv_freq")) continue;
            if (t.name().equals("lm_head.weight")) {
                hasHead = true;
                if (tied) continue;
            }
            if (t.name().equals("model.embed_tokens.weight")) embedding = t.elementCount();
            count += t.elementCount();
        }
        if (!tied && !hasHead && embedding != null) count += embedding;
        return count;
    }

    static Dtype loadedDtype(String torchDtype) {
        return switch (torchDtype == null ? "" : torchDtype.toLowerCase(Locale.ROOT)) {
            case "bfloat16" -> Dtype.BF16;
            case "float16" -> Dtype.F16;
            default -> Dtype.F32;
        };
    }

    private static long directorySize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("not a directory");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
