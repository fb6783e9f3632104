package sn37.miner.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class DirectoryHashTest {

    private static final String HASH_OF_NOTHING = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> hashesEveryVectorDirectoryAsTaoverse() {
        return Vectors.list(Vectors.hash().get("directories")).stream()
                .map(dir -> DynamicTest.dynamicTest(dir.get("name").asText(), () -> checkDirectory(dir)));
    }

    private void checkDirectory(JsonNode vector) throws IOException {
        if (vector.get("name").asText().equals("unicode-names")) {
            // The README: non-ASCII names on disk need a UTF-8 file-name encoding; the order is also
            // checked in memory by walksVectorPathsInTheirWalkOrderWithoutTouchingDisk.
            // Under CI a fidelity vector never skips: it fails, saying why.
            String encoding = System.getProperty("sun.jnu.encoding");
            if (!"UTF-8".equals(encoding)) {
                String why = "file names are not UTF-8 here (sun.jnu.encoding " + encoding + "): run with a UTF-8"
                        + " locale, e.g. LANG=C.UTF-8";
                assertNull(System.getenv("CI"), "the unicode-names vector cannot run under CI: " + why);
                Assumptions.abort(why);
            }
        }
        Path root = Files.createDirectory(tmp.resolve(vector.get("name").asText()));
        Vectors.materialize(vector, root);
        List<String> walkOrder = Vectors.strings(vector.get("walk_order"));
        String dirHash = vector.get("dir_hash").asText();

        assertEquals(walkOrder, DirectoryHash.walkOrder(root));
        assertEquals(dirHash, DirectoryHash.of(root));
        assertEquals(dirHash, DirectoryHash.of(root, 1));
        assertEquals(dirHash, DirectoryHash.of(root, 3));
        List<String> shuffled = new ArrayList<>(walkOrder);
        Collections.shuffle(shuffled, new Random(37));
        assertEquals(dirHash, DirectoryHash.ofFiles(root, shuffled));
        for (JsonNode file : vector.get("files")) {
            String fileHash = file.get("file_hash").asText();
            assertEquals(fileHash, DirectoryHash.fileHash(root.resolve(file.get("path").asText())));
            assertEquals(fileHash, DirectoryHash.fileHashOfSha256Hex(file.get("sha256_hex").asText()));
            assertEquals(file.get("size").asLong(), Files.size(root.resolve(file.get("path").asText())));
        }
    }

    @TestFactory
    Stream<DynamicTest> walksVectorPathsInTheirWalkOrderWithoutTouchingDisk() {
        return Vectors.list(Vectors.hash().get("directories")).stream()
                .map(
                        dir ->
                                DynamicTest.dynamicTest(
                                        dir.get("name").asText(),
                                        () -> {
                                            List<String> walkOrder = Vectors.strings(dir.get("walk_order"));
                                            List<String> shuffled = new ArrayList<>(walkOrder);
                                            Collections.shuffle(shuffled, new Random(9));
                                            assertEquals(walkOrder, WalkOrder.sort(shuffled));
                                            List<String> hashes = new ArrayList<>();
                                            for (String path : walkOrder) {
                                                hashes.add(fileHashOf(dir, path));
                                            }
                                            assertEquals(dir.get("dir_hash").asText(), DirectoryHash.ofFileHashes(hashes));
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> hashesEveryFileVector() {
        return Vectors.list(Vectors.hash().get("file_hash_vectors")).stream()
                .map(
                        v ->
                                DynamicTest.dynamicTest(
                                        v.get("content").toString(),
                                        () -> {
                                            Path file = Files.createTempFile(tmp, "vector", ".bin");
                                            Files.write(file, Vectors.content(v.get("content")));
                                            assertEquals(v.get("size").asLong(), Files.size(file));
                                            assertEquals(v.get("file_hash").asText(), DirectoryHash.fileHash(file));
                                        }));
    }

    @Test
    void sortsNamesByCodePointSoAnEmojiFollowsFullwidthZ() {
        String emoji = "\uD83D\uDE00.txt";
        String fullwidthZ = "\uFF5A.txt";
        assertTrue(emoji.compareTo(fullwidthZ) < 0, "UTF-16 order puts the emoji first");
        assertTrue(WalkOrder.NAMES.compare(emoji, fullwidthZ) > 0);
        assertEquals(List.of("z.txt", fullwidthZ, emoji), WalkOrder.sort(List.of(emoji, "z.txt", fullwidthZ)));
    }

    @Test
    void hashesFilesOfALevelBeforeItsSubdirectories() throws IOException {
        write("z.txt", "z");
        write("a/x.txt", "x");
        write("a/b/y.txt", "y");
        write("a/c.txt", "c");
        assertEquals(List.of("z.txt", "a/c.txt", "a/x.txt", "a/b/y.txt"), DirectoryHash.walkOrder(tmp));
    }

    @Test
    void sortsSiblingDirectoriesByNameNotByFullPath() {
        assertEquals(
                List.of("sub/x", "sub-dir/x", "sub.dir/x", "sub_dir/x"),
                WalkOrder.sort(List.of("sub_dir/x", "sub.dir/x", "sub-dir/x", "sub/x")));
    }

    @Test
    void hashesAnEmptyDirectoryAsSha256OfNothing() throws IOException {
        Files.createDirectories(tmp.resolve("empty/deeper"));
        assertEquals(HASH_OF_NOTHING, DirectoryHash.of(tmp));
        assertEquals(HASH_OF_NOTHING, DirectoryHash.ofFiles(tmp, List.of()));
    }

    @Test
    void hashesInParallelToTheSameResultAsOneThread() throws IOException {
        Random random = new Random(2024);
        List<String> expectedOrder = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            String path = "d" + (i % 7) + "/" + (i % 3 == 0 ? "deep" + (i % 5) + "/" : "") + "f" + i + ".bin";
            byte[] bytes = new byte[random.nextInt(i % 40 == 0 ? 3 * DirectoryHash.BUFFER_BYTES : 20_000)];
            random.nextBytes(bytes);
            Files.createDirectories(tmp.resolve(path).getParent());
            Files.write(tmp.resolve(path), bytes);
            expectedOrder.add(path);
        }
        List<String> walkOrder = DirectoryHash.walkOrder(tmp);
        assertEquals(WalkOrder.sort(expectedOrder), walkOrder);

        MessageDigest reference = Sha256.newDigest();
        for (String path : walkOrder) {
            byte[] fileDigest = Sha256.newDigest().digest(Files.readAllBytes(tmp.resolve(path)));
            reference.update(Base64.getEncoder().encodeToString(fileDigest).getBytes(StandardCharsets.UTF_8));
        }
        String expected = Base64.getEncoder().encodeToString(reference.digest());

        assertEquals(expected, DirectoryHash.of(tmp, 1));
        assertEquals(expected, DirectoryHash.of(tmp, 8));
        assertEquals(expected, DirectoryHash.of(tmp));
    }

    @Test
    void hashesExactlyTheGivenFiles() throws IOException {
        write("config.json", "{}");
        write("model.safetensors", "weights");
        write("README.md", "not downloaded by transformers, so not hashed");
        Path only = Files.createDirectory(tmp.resolve("only"));
        Files.writeString(only.resolve("config.json"), "{}");
        Files.writeString(only.resolve("model.safetensors"), "weights");

        assertEquals(
                DirectoryHash.of(only), DirectoryHash.ofFiles(tmp, List.of("model.safetensors", "config.json")));
    }

    @Test
    void doesNotDescendIntoSymlinkedDirectories() throws IOException {
        write("real/x.txt", "x");
        Files.createSymbolicLink(tmp.resolve("linked"), tmp.resolve("real"));
        assertEquals(List.of("real/x.txt"), DirectoryHash.walkOrder(tmp));
    }

    @Test
    void hashesASymlinkedFileByItsTargetBytes() throws IOException {
        Path blobs = Files.createDirectory(tmp.resolve("blobs"));
        Files.writeString(blobs.resolve("abc123"), "shard bytes");
        Path snapshot = Files.createDirectory(tmp.resolve("snapshot"));
        Files.createSymbolicLink(snapshot.resolve("model.safetensors"), blobs.resolve("abc123"));
        Path realized = Files.createDirectory(tmp.resolve("realized"));
        Files.writeString(realized.resolve("model.safetensors"), "shard bytes");

        assertEquals(List.of("model.safetensors"), DirectoryHash.walkOrder(snapshot));
        assertEquals(DirectoryHash.of(realized), DirectoryHash.of(snapshot));
    }

    @Test
    void failsOnABrokenSymlinkNamingIt() throws IOException {
        Files.createSymbolicLink(tmp.resolve("dangling.safetensors"), tmp.resolve("missing-blob"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DirectoryHash.of(tmp, 2));
        assertTrue(e.getMessage().contains("dangling.safetensors"), e.getMessage());
    }

    @Test
    void failsOnAFileThatCannotBeReadInParallelToo() throws IOException {
        for (int i = 0; i < 6; i++) {
            write("f" + i, "x".repeat(i));
        }
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> DirectoryHash.ofFiles(tmp, List.of("f1", "nope", "f2"), 3));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void rejectsAMissingDirectory() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DirectoryHash.of(tmp.resolve("absent")));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    @Test
    void rejectsPathsThatAreNotPlainRelativePaths() {
        for (String bad : List.of("/abs", "a//b", "../up", "a/./b", "", "dir/")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> DirectoryHash.ofFiles(tmp, List.of(bad)), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DirectoryHash.ofFiles(tmp, List.of("a", "a")));
    }

    @Test
    void rejectsFewerThanOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DirectoryHash.of(tmp, 0));
        assertTrue(e.getMessage().contains("threads is 0"), e.getMessage());
    }

    @Test
    void rejectsAnLfsOidThatIsNotSha256Hex() {
        assertThrows(IllegalArgumentException.class, () -> DirectoryHash.fileHashOfSha256Hex("abc"));
        assertThrows(IllegalArgumentException.class, () -> DirectoryHash.fileHashOfSha256Hex("z".repeat(64)));
    }

    private static String fileHashOf(JsonNode dir, String path) {
        for (JsonNode file : dir.get("files")) {
            if (file.get("path").asText().equals(path)) {
                return file.get("file_hash").asText();
            }
        }
        throw new IllegalArgumentException("walk_order names '" + path + "', which is not among the files");
    }

    private void write(String relative, String text) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
