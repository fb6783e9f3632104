package sn37.miner.config;

/** The miner's version, as the pom names it: shown by {@code bin/miner --version} and in the OpenAPI document. */
public final class MinerVersion {
    public static final String VERSION = "0.1.0";

    private MinerVersion() {}
}
