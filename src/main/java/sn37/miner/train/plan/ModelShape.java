package sn37.miner.train.plan;

import java.io.IOException;
import java.nio.file.Path;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.llama.LlamaConfig;

/**
 * The sizes of a Llama-family decoder that decide its training memory. Biases, which Llama and
 * Mistral checkpoints do not use, are left out.
 *
 * @param headDim per-head width; query width = heads × headDim, key/value width = kvHeads × headDim
 * @param tiedEmbeddings true when the LM head reuses the token embedding (no {@code lm_head.weight})
 */
public record ModelShape(int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate, int vocab,
        boolean tiedEmbeddings) {

    /** The projections that carry LoRA adapters, as the DJL {@code LoraAdapters} and the PyTorch trainer's PEFT. */
    public static final String LORA_TARGETS = "q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj";

    public ModelShape {
        if (hidden < 1 || layers < 1 || heads < 1 || kvHeads < 1 || headDim < 1 || intermediate < 1 || vocab < 1) {
            throw new IllegalArgumentException("every size of a model shape must be positive: hidden " + hidden
                    + ", layers " + layers + ", heads " + heads + ", kv heads " + kvHeads + ", head dim " + headDim
                    + ", intermediate " + intermediate + ", vocab " + vocab);
        }
    }

    public static ModelShape of(LlamaConfig config) {
        return new ModelShape(config.hiddenSize(), config.numLayers(), config.numHeads(), config.numKvHeads(),
                config.headDim(), config.intermediateSize(), config.vocabSize(), config.tieWordEmbeddings());
    }

    /** Reads a Llama or Mistral config.json; an unsupported one fails as the model loader would. */
    public static ModelShape read(Path configJson) throws IOException {
        return of(LlamaConfig.from(ModelConfig.read(configJson)));
    }

    /** heads × headDim: the width of q and of the attention output. */
    public long queryWidth() {
        return (long) heads * headDim;
    }

    /** kvHeads × headDim: the width of k and of v. */
    public long kvWidth() {
        return (long) kvHeads * headDim;
    }

    /** The seven projection matrices of one decoder layer. */
    public long layerMatrixParameters() {
        long h = hidden;
        return h * queryWidth() + 2 * h * kvWidth() + queryWidth() * h + 3 * h * intermediate;
    }

    /** One decoder layer: its projections and its two RMSNorm weights. */
    public long layerParameters() {
        return layerMatrixParameters() + 2L * hidden;
    }

    /** What is outside the decoder layers: embedding, final norm and (untied) LM head; FSDP's root unit. */
    public long rootParameters() {
        return (tiedEmbeddings ? 1L : 2L) * vocab * hidden + hidden;
    }

    /** As transformers' {@code num_parameters()} counts them (a tied head once). */
    public long parameterCount() {
        return layers * layerParameters() + rootParameters();
    }

    /** The adapters of one layer at rank r: r × (in + out) for each of the seven projections. */
    public long loraLayerParameters(int rank) {
        long h = hidden;
        return rank * ((h + queryWidth()) + 2 * (h + kvWidth()) + (queryWidth() + h) + 3 * (h + intermediate));
    }

    public long loraParameters(int rank) {
        return layers * loraLayerParameters(rank);
    }
}
