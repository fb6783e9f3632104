package sn37.miner.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDatabaseTest {
    @TempDir Path dir;

    /** Holds a run database open in a child process until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (RunDatabase db = RunDatabase.open(Path.of(args[0]))) {
            System.out.println("open");
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void databaseLockedByAnotherProcessIsAClearStartupError() throws Exception {
        Path base = dir.resolve("pipeline");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunDatabaseTest.class.getName(), base.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("open")) {
                // skip the child's log lines
            }
            assertEquals("open", line);
            RunStoreException e = assertThrows(RunStoreException.class, () -> RunDatabase.open(base));
            assertTrue(e.getMessage().contains("is locked by another process"), e.getMessage());
            assertTrue(e.getMessage().contains(base + ".mv.db"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
    }

    @Test
    void corruptDatabaseFileIsAClearStartupError() throws Exception {
        Path base = dir.resolve("pipeline");
        Files.write(dir.resolve("pipeline.mv.db"), "this is not an H2 database file\n".repeat(200).getBytes());
        RunStoreException e = assertThrows(RunStoreException.class, () -> RunDatabase.open(base));
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.mv.db"), e.getMessage());
    }

    @Test
    void reopeningKeepsRunsAndAppliesNoMigrationTwice() {
        Path base = dir.resolve("pipeline");
        String id;
        try (RunDatabase db = RunDatabase.open(base)) {
            id = new RunStore(db.dataSource()).createRun("pipeline", "{}", "CLI", null).run().id();
        }
        try (RunDatabase db = RunDatabase.open(base)) {
            assertEquals(RunStatus.QUEUED, new RunStore(db.dataSource()).get(id).status());
        }
    }
}
