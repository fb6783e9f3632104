package sn37.miner.stage;

import java.nio.file.Path;
import sn37.miner.model.llama.ComputeDevice;
import sn37.miner.model.llama.LlamaLanguageModel;
import sn37.miner.model.tokenizer.ChatPromptEncoder;
import sn37.miner.model.tokenizer.ChatTokenizer;

/**
 * Opens a model dir for evaluation with the DJL Llama and the tokenizer validators use for it: the competition's
 * fixed one, or the dir's own for a bring-your-own-tokenizer competition.
 */
public final class DjlModelOpener implements ModelOpener {
    @Override
    public OpenModel open(Path modelDir, RunParams p) throws Exception {
        Path tokenizerDir = LoadModel.tokenizerDir(modelDir, LoadModel.constraints(p.competitionId()));
        ChatTokenizer tokenizer = tokenizerDir == null ? ChatTokenizer.bundled() : ChatTokenizer.fromDir(tokenizerDir);
        ChatPromptEncoder encoder = new ChatPromptEncoder(tokenizer);
        return new OpenModel(LlamaLanguageModel.load(modelDir, ComputeDevice.of(p.device()), encoder), encoder);
    }
}
