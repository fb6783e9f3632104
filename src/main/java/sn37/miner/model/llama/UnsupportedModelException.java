package sn37.miner.model.llama;

/** A config.json asks for an architecture or a setting this Llama implementation does not compute. */
public class UnsupportedModelException extends IllegalArgumentException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
