package sn37.miner.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * The directory and secure hashes recomputed from their definition (taoverse get_hash_of_directory, flat snapshot
 * dirs only) with the JDK's digest, independently of the miner's {@code metadata} package.
 */
final class HashRecomputation {
    private HashRecomputation() {}

    static String secureHash(Path flatDir, String hotkeySs58) throws Exception {
        return secureHash(flatDir, MinerWorld.files(flatDir), hotkeySs58);
    }

    static String secureHash(Path flatDir, List<String> sortedFiles, String hotkeySs58) throws Exception {
        MessageDigest directory = MessageDigest.getInstance("SHA-256");
        for (String f : sortedFiles) {
            String fileHash = b64(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(flatDir.resolve(f))));
            directory.update(fileHash.getBytes(StandardCharsets.UTF_8));
        }
        String dirHash = b64(directory.digest());
        return b64(MessageDigest.getInstance("SHA-256").digest((dirHash + hotkeySs58).getBytes(StandardCharsets.UTF_8)));
    }

    private static String b64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }
}
