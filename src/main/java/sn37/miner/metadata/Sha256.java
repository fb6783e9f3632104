package sn37.miner.metadata;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests from the JDK provider, whose x86 intrinsics use the SHA extensions where the CPU has them. */
final class Sha256 {

    private Sha256() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK; every Java SE runtime must provide it", e);
        }
    }
}
