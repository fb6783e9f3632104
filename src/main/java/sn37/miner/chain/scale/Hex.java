package sn37.miner.chain.scale;

import java.util.HexFormat;

/** Lower-case hex with the {@code 0x} prefix that Substrate JSON-RPC uses. */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    /** Accepts an optional {@code 0x} prefix and either case. */
    public static byte[] decode(String hex) {
        String body = hex.strip();
        if (body.startsWith("0x") || body.startsWith("0X")) {
            body = body.substring(2);
        }
        if (body.length() % 2 != 0) {
            throw new IllegalArgumentException(
                    "hex string has an odd number of digits (" + body.length() + "); expected pairs");
        }
        try {
            return HEX.parseHex(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hex string is not hexadecimal: " + e.getMessage(), e);
        }
    }
}
