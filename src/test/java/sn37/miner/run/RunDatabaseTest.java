package sn37.miner.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDatabaseTest {
    @TempDir Path dir;

    /**
     * Holds a run database open in a child process until its stdin closes; with a second argument it first creates
     * a run and prints its id (the parent then kills it without warning).
     */
    public static void main(String[] args) throws Exception {
        try (RunDatabase db = RunDatabase.open(Path.of(args[0]))) {
            if (args.length > 1) {
                System.out.println("created " + new RunStore(db.dataSource()).createRun("pipeline", "{}", "CLI", args[1])
                        .run().id());
            }
            System.out.println("open");
            System.out.flush();
            System.in.read();
        }
    }

    private static Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunDatabaseTest.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads the child's output up to its "open" line; returns the lines before it. */
    private static List<String> awaitOpen(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("open")) {
            lines.add(line);
        }
        assertEquals("open", line, String.join("\n", lines));
        return lines;
    }

    @Test
    void runCommittedJustBeforeASigkillIsThereAfterRestart() throws Exception {
        Path base = dir.resolve("pipeline");
        Process writer = child(base.toString(), "key-1");
        String id;
        try {
            id = awaitOpen(writer).stream().filter(l -> l.startsWith("created ")).findFirst().orElseThrow()
                    .substring("created ".length());
        } finally {
            writer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (RunDatabase db = RunDatabase.open(base)) {
            assertEquals(RunStatus.QUEUED, new RunStore(db.dataSource()).get(id).status());
        }
    }

    @Test
    void databaseLockedByAnotherProcessIsAClearStartupError() throws Exception {
        Path base = dir.resolve("pipeline");
        Process holder = child(base.toString());
        try {
            awaitOpen(holder);
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
