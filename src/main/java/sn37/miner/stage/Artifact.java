package sn37.miner.stage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file a stage produced, with the size and SHA-256 it must still have when a resumed run relies on it. */
public record Artifact(String name, Path path, long sizeBytes, String sha256) {

    public static Artifact of(String name, Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("artifact " + name + " is not a file: " + file);
        return new Artifact(name, file.toAbsolutePath().normalize(), Files.size(file), sha256(file));
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
