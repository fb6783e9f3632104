package sn37.miner.chain;

/** A block by number and hash ({@code 0x}-prefixed hex, as JSON-RPC writes it). */
public record BlockRef(long number, String hash) {
    public BlockRef {
        if (number < 0 || hash == null || !hash.matches("0x[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("block ref needs a number >= 0 and a 32-byte 0x hash, got " + number + " / " + hash);
        }
        hash = hash.toLowerCase(java.util.Locale.ROOT);
    }
}
