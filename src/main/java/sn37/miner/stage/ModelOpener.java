package sn37.miner.stage;

import java.nio.file.Path;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.PromptEncoder;

/** Opens a Hugging Face model directory for evaluation; the DJL adapter is the production implementation. */
@FunctionalInterface
public interface ModelOpener {

    /** Loads the model in {@code modelDir} on the run's device; the caller closes the result. */
    OpenModel open(Path modelDir, RunParams params) throws Exception;

    /** A loaded model with its tokenizer. Closing it closes the model. */
    record OpenModel(LanguageModel model, PromptEncoder encoder) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }
}
