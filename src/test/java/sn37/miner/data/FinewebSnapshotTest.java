package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinewebSnapshotTest {
    @TempDir
    Path tmp;

    private final List<FinewebText> texts = List.of(new FinewebText("Tides follow the moon.", "<urn:uuid:1>",
            "CC-MAIN-2024-10/train@3+100"), new FinewebText("Ice floats on water.", null, null));

    @Test
    void textsReadBackAsWrittenWithTheFilesHash() throws IOException {
        Snapshot s = FinewebSnapshot.write(texts, tmp.resolve("fineweb-eval.jsonl"));

        assertEquals(texts, FinewebSnapshot.read(s.path()));
        assertEquals(2, s.count());
        assertEquals(java.util.HexFormat.of().formatHex(Utf8Lines.sha256().digest(Files.readAllBytes(s.path()))),
                s.sha256());
    }

    @Test
    void aChangedTextFailsNamingTheLineAndNotQuotingIt() throws IOException {
        Path file = FinewebSnapshot.write(texts, tmp.resolve("fineweb-eval.jsonl")).path();
        Files.writeString(file, Files.readString(file).replace("Ice floats", "Ice sinks"), StandardCharsets.UTF_8);

        IOException e = assertThrows(IOException.class, () -> FinewebSnapshot.read(file));

        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertFalse(e.getMessage().contains("Ice sinks"), e.getMessage());
    }
}
