package sn37.miner.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Locale;
import java.util.SplittableRandom;
import sn37.miner.chain.crypto.Sr25519;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.scale.Hex;

/**
 * Chain primitives: sr25519 signs/s and verifies/s (schnorrkel over Ristretto255, curve25519-elisabeth) with the
 * JDK's Ed25519 on the same machine as the baseline, and the time to decode the fixture runtime metadata
 * (finney spec 343 V14, 523 KB of hex) from hex. Prints one JSON line on stdout; progress goes to stderr.
 *
 * <p>Usage: {@code ChainBench [--seconds N] [--message-bytes N]}: N seconds per signature measurement (default 2),
 * messages of N bytes (default 160, about a set_commitment signing payload).
 */
public final class ChainBench {
    private static final String METADATA = "/chain/finney-spec343-metadata-v14.hex";

    private ChainBench() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = 2;
        int messageBytes = 160;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(required(args[i], value));
                case "--message-bytes" -> messageBytes = Integer.parseInt(required(args[i], value));
                default -> throw new IllegalArgumentException(
                        "unknown argument '" + args[i] + "': expected --seconds N or --message-bytes N");
            }
            i++;
        }
        byte[] message = new byte[messageBytes];
        new SplittableRandom(37).nextBytes(message);
        byte[] seed = new byte[32];
        new SplittableRandom(1).nextBytes(seed);
        Sr25519Keypair sr = Sr25519Keypair.fromMiniSecret(seed);
        byte[] srSignature = sr.sign(message);
        byte[] srPublic = sr.publicKey();
        if (!Sr25519.verify(srPublic, message, srSignature)) {
            throw new IllegalStateException("sr25519 self-check failed: a fresh signature does not verify");
        }
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] edSignature = edSign(ed, message);

        long nanos = (long) (seconds * 1e9);
        rate("warm-up", nanos / 2, () -> Sr25519.verify(srPublic, message, sr.sign(message)));
        double srSign = rate("sr25519 sign", nanos, () -> sr.sign(message));
        double srVerify = rate("sr25519 verify", nanos, () -> Sr25519.verify(srPublic, message, srSignature));
        double edSignRate = rate("ed25519 sign (JDK)", nanos, () -> edSign(ed, message));
        double edVerify = rate("ed25519 verify (JDK)", nanos, () -> edVerify(ed, message, edSignature));

        String hex = resource(METADATA);
        long best = Long.MAX_VALUE;
        int pallets = 0;
        for (int round = 0; round < 10; round++) {
            long t0 = System.nanoTime();
            RuntimeMetadata md = RuntimeMetadata.decode(Hex.decode(hex));
            best = Math.min(best, System.nanoTime() - t0);
            pallets = md.pallets().size();
        }
        log("metadata decode: fastest of 10 rounds %.1f ms, %d pallets", best / 1e6, pallets);
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\":\"chain\",\"sr25519_sign_per_s\":%.0f,\"sr25519_verify_per_s\":%.0f,"
                        + "\"ed25519_jdk_sign_per_s\":%.0f,\"ed25519_jdk_verify_per_s\":%.0f,"
                        + "\"sign_vs_ed25519\":%.2f,\"verify_vs_ed25519\":%.2f,\"metadata_decode_ms\":%.1f,"
                        + "\"metadata_bytes\":%d,\"pallets\":%d,\"message_bytes\":%d,\"seconds\":%.1f}",
                srSign, srVerify, edSignRate, edVerify, srSign / edSignRate, srVerify / edVerify, best / 1e6,
                hex.length() / 2 - 1, pallets, messageBytes, seconds));
    }

    private interface Op {
        Object run() throws Exception;
    }

    /** Operations per second over about {@code nanos}, checked in batches of 64 to keep the clock out of the loop. */
    private static double rate(String what, long nanos, Op op) throws Exception {
        long count = 0;
        long t0 = System.nanoTime();
        long elapsed;
        Object sink = null;
        do {
            for (int i = 0; i < 64; i++) {
                sink = op.run();
            }
            count += 64;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < nanos);
        double perSecond = count / (elapsed / 1e9);
        log("%s: %.0f/s (%d in %.2f s)%s", what, perSecond, count, elapsed / 1e9, sink == null ? "" : "");
        return perSecond;
    }

    private static byte[] edSign(KeyPair kp, byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(kp.getPrivate());
        s.update(message);
        return s.sign();
    }

    private static boolean edVerify(KeyPair kp, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(kp.getPublic());
        s.update(message);
        return s.verify(signature);
    }

    private static String resource(String name) {
        try (InputStream in = ChainBench.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing: run from the repository (bench/chain)");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
