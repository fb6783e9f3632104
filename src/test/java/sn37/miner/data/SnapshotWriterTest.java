package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {

    private static final String TRICKY = "[Example 1]\nWhat is \"naïve\" in 日本語? 🙂 back\\slash\ttab\n\nA. 1\nB. 2\nC. 3\nD. 4\nAnswer: ";

    @TempDir
    Path dir;

    @Test
    void writeThenReadRoundTrips() throws IOException {
        List<McSample> samples = List.of(
                new McSample("Q1\nAnswer: ", "A", "id-1", "5Grw", "2024-10-02T08:00:00"),
                new McSample(TRICKY, "D"),
                new McSample("Q3\nAnswer:", "C", null, "5Grw", null));
        Path target = dir.resolve("snap.jsonl");

        Snapshot snapshot = SnapshotWriter.write(samples, target);

        assertEquals(target, snapshot.path());
        assertEquals(3, snapshot.count());
        assertEquals(samples, SnapshotWriter.read(target));
    }

    @Test
    void shaAndSizeMatchAnIndependentDigestOfTheFile() throws Exception {
        Path target = dir.resolve("snap.jsonl");

        Snapshot snapshot = SnapshotWriter.write(JsonlSampleSource.bundled().load().samples(), target);

        byte[] bytes = Files.readAllBytes(target);
        assertEquals(JsonlSampleSourceTest.sha256(bytes), snapshot.sha256());
        assertEquals(bytes.length, snapshot.sizeBytes());
        assertEquals(40, snapshot.count());
    }

    @Test
    void writesOneObjectPerLineWithNullsOmitted() throws IOException {
        Path target = dir.resolve("snap.jsonl");

        SnapshotWriter.write(List.of(
                new McSample("Q\nAnswer: ", "B", "id-7", null, null),
                new McSample("R", "C", null, "hk", "2024-10-26T00:00:00")), target);

        assertEquals("{\"challenge\":\"Q\\nAnswer: \",\"reference\":\"B\",\"id\":\"id-7\"}\n"
                        + "{\"challenge\":\"R\",\"reference\":\"C\",\"hotkey\":\"hk\",\"timestamp\":\"2024-10-26T00:00:00\"}\n",
                Files.readString(target, StandardCharsets.UTF_8));
    }

    @Test
    void leavesNoTmpFileBehind() throws IOException {
        Path target = dir.resolve("snap.jsonl");

        SnapshotWriter.write(List.of(new McSample("Q", "A")), target);

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void rewritingReplacesTheWholeFile() throws IOException {
        Path target = dir.resolve("snap.jsonl");
        SnapshotWriter.write(List.of(new McSample("old 1", "A"), new McSample("old 2", "B")), target);

        Snapshot second = SnapshotWriter.write(List.of(new McSample("new", "C")), target);

        assertEquals(List.of(new McSample("new", "C")), SnapshotWriter.read(target));
        assertEquals(Files.size(target), second.sizeBytes());
        assertFalse(Files.exists(dir.resolve("snap.jsonl.tmp")));
    }

    @Test
    void staleTmpFromACrashIsOverwritten() throws IOException {
        Path target = dir.resolve("snap.jsonl");
        Files.writeString(dir.resolve("snap.jsonl.tmp"), "half a line from a crashed writer {\"chall");

        SnapshotWriter.write(List.of(new McSample("Q", "A")), target);

        assertEquals(List.of(new McSample("Q", "A")), SnapshotWriter.read(target));
        assertFalse(Files.exists(dir.resolve("snap.jsonl.tmp")));
    }

    @Test
    void failedWriteLeavesTargetAndNoTmpFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "x");

        assertThrows(IOException.class, () -> SnapshotWriter.write(List.of(new McSample("Q", "A")), target));

        assertTrue(Files.isDirectory(target));
        assertFalse(Files.exists(dir.resolve("occupied.tmp")));
    }

    @Test
    void createsParentDirectories() throws IOException {
        Path target = dir.resolve("a/b/c/snap.jsonl");

        SnapshotWriter.write(List.of(new McSample("Q", "A")), target);

        assertEquals(1, SnapshotWriter.read(target).size());
    }

    @Test
    void challengeBytesSurviveExactly() throws IOException {
        String trailingSpaces = "Q with trailing spaces\nAnswer:   ";
        Path target = dir.resolve("snap.jsonl");

        SnapshotWriter.write(List.of(new McSample(TRICKY, "A"), new McSample(trailingSpaces, "B")), target);
        List<McSample> back = SnapshotWriter.read(target);

        assertEquals(TRICKY, back.get(0).challenge());
        assertEquals(trailingSpaces, back.get(1).challenge());
        assertTrue(Files.readString(target).contains("naïve\\\" in 日本語? 🙂"), "non-ASCII written as UTF-8, not escaped");
        SampleLoad viaSource = JsonlSampleSource.of(target).load();
        assertEquals(back, viaSource.samples());
    }

    @Test
    void loneSurrogateInAChallengeRoundTrips() throws IOException {
        String odd = "broken emoji \ud83d here\nAnswer: ";
        Path target = dir.resolve("snap.jsonl");

        SnapshotWriter.write(List.of(new McSample(odd, "A")), target);

        assertEquals(odd, SnapshotWriter.read(target).get(0).challenge());
    }

    @Test
    void bundledSampleSurvivesASnapshotRoundTrip() throws IOException {
        List<McSample> samples = JsonlSampleSource.bundled().load().samples();
        Path target = dir.resolve("bundled.jsonl");

        SnapshotWriter.write(samples, target);

        assertEquals(samples, SnapshotWriter.read(target));
    }

    @Test
    void readRejectsAnInvalidRowNamingTheLine() throws IOException {
        Path file = dir.resolve("snap.jsonl");
        Files.writeString(file, "{\"challenge\":\"Q\",\"reference\":\"A\"}\n{\"challenge\":\"Q\",\"reference\":\"E\"}\n");

        IOException e = assertThrows(IOException.class, () -> SnapshotWriter.read(file));

        assertEquals("snapshot " + file + " line 2: reference is a string of 1 character, not one of A-D",
                e.getMessage());
    }

    @Test
    void readRejectsBlankLinesAndMalformedJson() throws IOException {
        Path blank = dir.resolve("blank.jsonl");
        Files.writeString(blank, "{\"challenge\":\"Q\",\"reference\":\"A\"}\n\n");
        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, "{\"challenge\":\"Q\"");

        IOException e1 = assertThrows(IOException.class, () -> SnapshotWriter.read(blank));
        IOException e2 = assertThrows(IOException.class, () -> SnapshotWriter.read(broken));

        assertTrue(e1.getMessage().startsWith("snapshot " + blank + " line 2: blank line"), e1.getMessage());
        assertTrue(e2.getMessage().startsWith("snapshot " + broken + " line 1: malformed JSON"), e2.getMessage());
    }

    @Test
    void readOfMissingSnapshotNamesThePath() {
        Path missing = dir.resolve("missing.jsonl");

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SnapshotWriter.read(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void emptySampleListWritesAnEmptySnapshot() throws IOException {
        Path target = dir.resolve("empty.jsonl");

        Snapshot snapshot = SnapshotWriter.write(List.of(), target);

        assertEquals(0, snapshot.sizeBytes());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", snapshot.sha256());
        assertEquals(List.of(), SnapshotWriter.read(target));
    }
}
