package sn37.miner.config;

/** A configuration key, flag or file is wrong; the message names it and says what is expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
