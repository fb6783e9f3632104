package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.io.InputFileException;

class JsonlSampleSourceTest {

    private static final String GOOD_1 = "{\"challenge\":\"Q1\\nAnswer: \",\"reference\":\"A\"}";
    private static final String GOOD_2 = "{\"challenge\":\"Q2\\nAnswer: \",\"reference\":\"B\",\"extra\":[1,2]}";

    @TempDir
    Path dir;

    @Test
    void bundledSampleLoadsFortyBalancedSamples() throws IOException {
        SampleLoad load = JsonlSampleSource.bundled().load();

        assertEquals(40, load.samples().size());
        assertEquals(40, load.rowsRead());
        assertEquals(Map.of(), load.droppedByReason());
        Map<String, Long> perLetter = load.samples().stream()
                .collect(Collectors.groupingBy(McSample::reference, Collectors.counting()));
        assertEquals(Map.of("A", 10L, "B", 10L, "C", 10L, "D", 10L), perLetter);
    }

    @Test
    void bundledProvenanceHashesTheResourceBytes() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("sn1/sample-mc.jsonl")) {
            bytes = in.readAllBytes();
        }
        SampleLoad load = JsonlSampleSource.bundled().load();

        assertEquals("jsonl:bundled:sn1/sample-mc.jsonl", load.provenance().get("source"));
        assertEquals(sha256(bytes), load.provenance().get("sha256"));
        assertEquals((long) bytes.length, load.provenance().get("bytes"));
    }

    @Test
    void bundledSampleKeepsProvenanceFieldsAndExactChallengeText() throws IOException {
        McSample first = JsonlSampleSource.bundled().load().samples().get(0);

        assertEquals("sn37-public-mc-0001", first.id());
        assertEquals("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", first.hotkey());
        assertEquals("2024-10-02T08:00:00", first.timestamp());
        assertTrue(first.challenge().startsWith("[Example 1]\nWhat is the capital of Texas?\n"));
        assertTrue(first.challenge().endsWith("\nAnswer: "), "trailing space after 'Answer:' kept");
    }

    @Test
    void countsEachBadRowKindUnderItsReason() throws IOException {
        Path file = write(
                GOOD_1,                                                  // 1
                "{\"challenge\": \"oops\"",                               // 2 malformed
                "[\"Q\", \"A\"]",                                        // 3 array
                "",                                                      // 4 blank, skipped
                "{\"reference\":\"A\"}",                                 // 5 missing challenge
                "{\"challenge\":42,\"reference\":\"A\"}",                // 6 challenge number
                "{\"challenge\":\"  \\n \",\"reference\":\"A\"}",        // 7 blank challenge
                "{\"challenge\":\"Q3\",\"reference\":\"E\"}",            // 8 reference E
                "   ",                                                   // 9 blank, skipped
                "{\"challenge\":\"Q4\",\"reference\":\"a\"}",            // 10 lower-case
                GOOD_1,                                                  // 11 duplicate
                GOOD_2);                                                 // 12

        SampleLoad load = JsonlSampleSource.of(file).load();

        assertEquals(2, load.samples().size());
        assertEquals(10, load.rowsRead(), "blank lines are not rows");
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("malformed JSON", 1);
        expected.put("not a JSON object", 1);
        expected.put("missing challenge", 1);
        expected.put("challenge not a string", 1);
        expected.put("blank challenge", 1);
        expected.put("reference not one of A-D", 2);
        expected.put("duplicate (challenge, reference)", 1);
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(load.droppedByReason().entrySet()));
        assertEquals(8, load.dropped());
    }

    @Test
    void examplesNameTheLineNumberOfTheFirstFiveProblems() throws IOException {
        Path file = write(
                GOOD_1,
                "{\"challenge\": \"oops\"",
                "[\"Q\", \"A\"]",
                "",
                "{\"reference\":\"A\"}",
                "{\"challenge\":42,\"reference\":\"A\"}",
                "{\"challenge\":\"Q3\",\"reference\":\"E\"}",
                "{\"challenge\":\"Q4\",\"reference\":\"a\"}",
                GOOD_1);

        List<String> examples = JsonlSampleSource.of(file).load().examples();

        assertEquals(5, examples.size());
        assertTrue(examples.get(0).startsWith("line 2: malformed JSON"), examples.get(0));
        assertTrue(examples.get(1).startsWith("line 3: expected a JSON object, got an array"), examples.get(1));
        assertEquals("line 5: no \"challenge\" field", examples.get(2));
        assertEquals("line 6: challenge is a number, expected a string", examples.get(3));
        assertEquals("line 7: reference is a string of 1 character, not one of A-D", examples.get(4));
    }

    @Test
    void duplicateExampleNamesTheFirstOccurrence() throws IOException {
        Path file = write(GOOD_1, GOOD_2, GOOD_1);

        SampleLoad load = JsonlSampleSource.of(file).load();

        assertEquals(List.of("line 3: duplicate of line 1 (same challenge and reference)"), load.examples());
    }

    @Test
    void sameChallengeWithDifferentReferenceIsNotADuplicate() throws IOException {
        Path file = write(GOOD_1, GOOD_1.replace("\"A\"", "\"C\""));

        assertEquals(2, JsonlSampleSource.of(file).load().samples().size());
    }

    @Test
    void lowerCaseReferenceExampleSaysUpperCase() throws IOException {
        Path file = write(GOOD_1, "{\"challenge\":\"Q\",\"reference\":\"a\"}");

        assertEquals(List.of("line 2: reference is a string of 1 character, not one of A-D (expected exactly one"
                + " upper-case letter, no spaces)"),
                JsonlSampleSource.of(file).load().examples());
    }

    @Test
    void rowsForAnotherTaskAreDropped() throws IOException {
        Path file = write(GOOD_1.replace("{", "{\"task\":\"multi_choice\","),
                "{\"task\":\"qa\",\"challenge\":\"Q\",\"reference\":\"A\"}");

        SampleLoad load = JsonlSampleSource.of(file).load();

        assertEquals(1, load.samples().size());
        assertEquals(Map.of("task not multi_choice", 1), load.droppedByReason());
        assertEquals(List.of("line 2: task is a string of 2 characters, not \"multi_choice\""), load.examples());
    }

    @Test
    void trailingGarbageAndRepeatedKeysAreMalformed() throws IOException {
        Path file = write(GOOD_1,
                GOOD_2 + " x",
                "{\"challenge\":\"Q\",\"reference\":\"A\",\"reference\":\"B\"}");

        SampleLoad load = JsonlSampleSource.of(file).load();

        assertEquals(Map.of("malformed JSON", 2), load.droppedByReason());
    }

    @Test
    void examplesNeverEchoTheTextOfARow() throws IOException {
        String junk = "HF_ACCESS_TOKEN=hf_CANARYjunk" + "x".repeat(500);
        String badReference = "{\"challenge\":\"Q\",\"reference\":\"hf_CANARYref\"}";
        String badTask = "{\"task\":\"hf_CANARYtask\",\"challenge\":\"Q\",\"reference\":\"A\"}";
        String scalar = "\"hf_CANARYscalar\"";
        Path file = write(GOOD_1, junk, badReference, badTask, scalar);

        List<String> examples = JsonlSampleSource.of(file).load().examples();

        assertEquals(4, examples.size());
        assertTrue(examples.get(0).matches("line 2: malformed JSON at column \\d+: unquoted text where a JSON value"
                + " was expected"), examples.get(0));
        for (String example : examples) {
            assertFalse(example.contains("CANARY") || example.contains("HF_ACCESS"), example);
        }
    }

    @Test
    void fileWithOnlyBadRowsFailsNamingPathAndCounts() throws IOException {
        Path file = write(
                "not json",
                "{\"challenge\":\"Q\",\"reference\":\"E\"}",
                "{bad",
                "[]");

        DataSourceException e = assertThrows(DataSourceException.class, () -> JsonlSampleSource.of(file).load());

        String msg = e.getMessage();
        assertTrue(msg.startsWith("no valid multiple-choice row in jsonl:" + file + ": 4 rows read"), msg);
        assertTrue(msg.contains("dropped: malformed JSON 2, not a JSON object 1, reference not one of A-D 1"), msg);
        assertTrue(msg.contains("e.g. line 1: malformed JSON"), msg);
        assertTrue(msg.contains("line 2: reference is a string of 1 character, not one of A-D"), msg);
        assertFalse(msg.contains("not json") || msg.contains("{bad"), msg);
    }

    @Test
    void emptyFileFailsSayingNoRowsWereRead() throws IOException {
        Path file = write("", "  ");

        DataSourceException e = assertThrows(DataSourceException.class, () -> JsonlSampleSource.of(file).load());

        assertTrue(e.getMessage().contains(file + ": 0 rows read"), e.getMessage());
    }

    @Test
    void missingFileFailsNamingThePath() {
        Path missing = dir.resolve("nope/sn1.jsonl");

        DataSourceException e = assertThrows(DataSourceException.class, () -> JsonlSampleSource.of(missing).load());

        assertEquals("SN1 data file not found: " + missing
                + " (expected a JSONL file with one {\"challenge\",\"reference\"} object per line)", e.getMessage());
    }

    @Test
    void directoryPathFailsNamingThePath() {
        DataSourceException e = assertThrows(DataSourceException.class, () -> JsonlSampleSource.of(dir).load());

        assertTrue(e.getMessage().startsWith("SN1 data file " + dir + " is a directory, not a regular file"),
                e.getMessage());
    }

    @Test
    void invalidUtf8FailsNamingTheLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((GOOD_1 + "\n" + GOOD_2 + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("{\"challenge\":\"caf".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3); // lead byte of a two-byte sequence followed by an ASCII byte
        bytes.writeBytes("\",\"reference\":\"A\"}\n".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("latin.jsonl");
        Files.write(file, bytes.toByteArray());

        IOException e = assertThrows(IOException.class, () -> JsonlSampleSource.of(file).load());

        assertTrue(e.getMessage().contains("invalid UTF-8 in jsonl:" + file + " at line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("byte 18 of the line"), e.getMessage());
    }

    @Test
    void invalidUtf8IsPinnedToItsLineBeyondTheReadBuffer() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append("{\"challenge\":\"Q").append(i).append("\",\"reference\":\"B\"}\n");
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[good.length + 2];
        System.arraycopy(good, 0, all, 0, good.length);
        all[good.length] = (byte) 0xFF;
        all[good.length + 1] = '\n';
        Path file = dir.resolve("big.jsonl");
        Files.write(file, all);

        IOException e = assertThrows(IOException.class, () -> JsonlSampleSource.of(file).load());

        assertTrue(e.getMessage().contains("at line 3001"), e.getMessage());
    }

    @Test
    void limitStopsAfterNValidSamples() throws IOException {
        Path file = write(
                "{\"challenge\":\"Q1\",\"reference\":\"A\"}",
                "junk",
                "{\"challenge\":\"Q2\",\"reference\":\"B\"}",
                "{\"challenge\":\"Q3\",\"reference\":\"C\"}",
                "more junk");

        SampleLoad load = JsonlSampleSource.of(file).withLimit(2).load();

        assertEquals(List.of("Q1", "Q2"), load.samples().stream().map(McSample::challenge).toList());
        assertEquals(3, load.rowsRead());
        assertEquals(Map.of("malformed JSON", 1), load.droppedByReason());
    }

    @Test
    void limitedLoadStillHashesTheWholeFile() throws Exception {
        Path file = write(GOOD_1, GOOD_2, "{\"challenge\":\"Q3\",\"reference\":\"C\"}");

        SampleLoad limited = JsonlSampleSource.of(file).withLimit(1).load();

        assertEquals(1, limited.samples().size());
        assertEquals(sha256(Files.readAllBytes(file)), limited.provenance().get("sha256"));
        assertEquals(Files.size(file), limited.provenance().get("bytes"));
    }

    @Test
    void crlfLineEndsAndByteOrderMarkAreAccepted() throws IOException {
        Path file = dir.resolve("windows.jsonl");
        Files.write(file, ("\uFEFF" + GOOD_1 + "\r\n" + GOOD_2 + "\r\n").getBytes(StandardCharsets.UTF_8));

        SampleLoad load = JsonlSampleSource.of(file).load();

        assertEquals(List.of("Q1\nAnswer: ", "Q2\nAnswer: "),
                load.samples().stream().map(McSample::challenge).toList());
    }

    @Test
    void challengeTextSurvivesByteExactly() throws IOException {
        String challenge = "[Input Question]\nWhat does \"naïve\" mean in 日本語? 🙂\\path\t\n\nA. x\nB. y\nC. z\nD. w\nAnswer: ";
        String row = "{\"challenge\":" + jsonString(challenge) + ",\"reference\":\"D\"}";
        Path file = write(row);

        McSample sample = JsonlSampleSource.of(file).load().samples().get(0);

        assertEquals(challenge, sample.challenge());
        assertTrue(sample.challenge().endsWith("Answer: "));
    }

    @Test
    void aCharacterDeviceIsRefusedBeforeAnyByteIsRead() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "needs /dev/zero");

        DataSourceException e = assertThrows(DataSourceException.class, () -> JsonlSampleSource.of(zero).load());

        assertTrue(e.getMessage().startsWith("SN1 data file /dev/zero is a character device, not a regular file"),
                e.getMessage());
    }

    @Test
    void aLineLongerThanTheCapFailsNamingTheLineAndTheLimit() throws IOException {
        Path file = write(GOOD_1, "{\"challenge\":\"" + "x".repeat(3000) + "\",\"reference\":\"A\"}", GOOD_2);

        InputFileException e = assertThrows(InputFileException.class,
                () -> JsonlSampleSource.of(file).withSizeLimits(2048, 1L << 20).load());

        assertEquals("line 2 of jsonl:" + file + " is longer than the 2 KiB limit per line (expected JSONL: one JSON"
                + " object per line)", e.getMessage());
    }

    @Test
    void aFileLargerThanTheCapFailsNamingTheLimit() throws IOException {
        Path file = write(GOOD_1, GOOD_2, GOOD_1.replace("Q1", "Q3"));

        DataSourceException e = assertThrows(DataSourceException.class,
                () -> JsonlSampleSource.of(file).withSizeLimits(1024, 100).load());

        assertTrue(e.getMessage().startsWith("SN1 data file " + file + " is larger than the 100 bytes limit for a data"
                + " file"), e.getMessage());
    }

    @Test
    void aFileThatGrowsPastTheCapWhileReadIsStoppedAtTheCap() throws IOException {
        InputFileException e = assertThrows(InputFileException.class, () -> Utf8Lines.read(
                new java.io.ByteArrayInputStream((GOOD_1 + "\n").repeat(10).getBytes(StandardCharsets.UTF_8)),
                "jsonl:growing", new Utf8Lines.Limits(1024, 100), () -> false, (n, text) -> true));

        assertEquals("jsonl:growing is larger than the 100 bytes limit for a data file", e.getMessage());
    }

    @Test
    void theDefaultCapsAreSixteenMibPerLineAndFourGibPerFile() {
        assertEquals(16 << 20, JsonlSampleSource.MAX_LINE_BYTES);
        assertEquals(4L << 30, JsonlSampleSource.MAX_FILE_BYTES);
    }

    @Test
    void aCancelWhileReadingStopsTheLoad() throws IOException {
        Path file = dir.resolve("big.jsonl");
        String row = GOOD_1 + "\n";
        Files.writeString(file, row.repeat(3 * Utf8Lines.CANCEL_CHECK_BYTES / row.length()));
        int[] polls = new int[1];

        CancellationException e = assertThrows(CancellationException.class,
                () -> JsonlSampleSource.of(file).load(() -> ++polls[0] >= 2));

        assertEquals(2, polls[0], "polled once at the start and once after " + Utf8Lines.CANCEL_CHECK_BYTES);
        assertTrue(e.getMessage().startsWith("reading jsonl:" + file + " cancelled on request after "),
                e.getMessage());
    }

    @Test
    void describeNamesTheFile() {
        Path file = dir.resolve("x.jsonl");

        assertEquals("jsonl:" + file, JsonlSampleSource.of(file).describe());
        assertEquals("jsonl:bundled:sn1/sample-mc.jsonl", JsonlSampleSource.bundled().describe());
    }

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("rows.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String jsonString(String s) {
        Function<Character, String> escape = c -> switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            default -> String.valueOf(c);
        };
        return s.chars().mapToObj(c -> escape.apply((char) c)).collect(Collectors.joining("", "\"", "\""));
    }
}
