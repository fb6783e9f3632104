package sn37.miner.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** One repo of the fake Hub: branch main as a chain of commits (path → blob), and the LFS object store. */
final class FakeHubRepo {
    private static final Pattern COMMIT_SHA = Pattern.compile("[0-9a-f]{40}");

    /** A file's content; LFS files are stored by git as a pointer, which is what their blob id hashes. */
    record Blob(byte[] data, boolean lfs) {
        String sha256() {
            return hex("SHA-256", data);
        }

        String gitSha1() {
            return FakeHubRepo.gitSha1(data);
        }

        String pointer() {
            return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256() + "\nsize " + data.length + "\n";
        }

        /** The git blob id: of the content for regular files, of the pointer for LFS files. */
        String blobId() {
            return lfs ? FakeHubRepo.gitSha1(pointer().getBytes(StandardCharsets.UTF_8)) : gitSha1();
        }

        /** What the Hub compares local oids with in preupload: sha256 for LFS files, git sha1 otherwise. */
        String oid() {
            return lfs ? sha256() : gitSha1();
        }
    }

    record Commit(String id, String parent, String title, Map<String, Blob> files) {}

    final String id;
    boolean isPrivate;
    boolean gated;
    final List<Commit> commits = new ArrayList<>();
    final Map<String, byte[]> lfsStore = new HashMap<>();

    FakeHubRepo(String id, boolean isPrivate) {
        this.id = id;
        this.isPrivate = isPrivate;
        Map<String, Blob> initial = new TreeMap<>();
        initial.put(".gitattributes", new Blob("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
                .getBytes(StandardCharsets.UTF_8), false));
        commits.add(new Commit(sha1Hex(id + "/initial"), null, "initial commit", initial));
    }

    Commit head() {
        return commits.get(commits.size() - 1);
    }

    /** The branch "main" or a full commit id; null otherwise. */
    Commit resolve(String revision) {
        if ("main".equals(revision)) {
            return head();
        }
        if (COMMIT_SHA.matcher(revision).matches()) {
            return commits.stream().filter(c -> c.id().equals(revision)).findFirst().orElse(null);
        }
        return null;
    }

    Commit commit(String title, Map<String, Blob> files) {
        Commit parent = head();
        Commit next = new Commit(sha1Hex(parent.id() + "|" + commits.size() + "|" + title), parent.id(), title,
                new TreeMap<>(files));
        commits.add(next);
        return next;
    }

    static String gitSha1(byte[] data) {
        byte[] prefix = ("blob " + data.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[prefix.length + data.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(data, 0, all, prefix.length, data.length);
        return hex("SHA-1", all);
    }

    static String sha1Hex(String text) {
        return hex("SHA-1", text.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
