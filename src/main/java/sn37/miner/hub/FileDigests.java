package sn37.miner.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** The hashes the Hub keys files by (huggingface_hub utils/sha.py) and the preupload sample. */
public final class FileDigests {
    private FileDigests() {}

    public static String sha256Hex(Path file) throws IOException {
        MessageDigest digest = digest("SHA-256");
        feed(digest, file);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@code sha1("blob " + size + "\0" + bytes)}, the oid git gives a regular file. */
    public static String gitBlobSha1Hex(Path file) throws IOException {
        MessageDigest digest = digest("SHA-1");
        digest.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
        feed(digest, file);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Base64 of the first 512 bytes, which preupload uses to tell text from binary. */
    static String sampleBase64(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Base64.getEncoder().encodeToString(in.readNBytes(512));
        }
    }

    private static void feed(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
