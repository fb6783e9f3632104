package sn37.miner.stage;

/** A run parameter (a flag or a JSON field) is out of range; the message names the flag. */
public class InvalidParameterException extends IllegalArgumentException {
    public InvalidParameterException(String message) {
        super(message);
    }
}
