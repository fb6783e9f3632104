package sn37.miner.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper's query sees only failures that are not permanent; the kind belongs to the attempt that failed. */
class FailureKindStoreTest {
    private static final List<String> PUBLISH = List.of("upload", "commit");

    @TempDir Path dir;
    RunDatabase db;
    RunStore store;

    @BeforeEach
    void open() {
        db = RunDatabase.open(dir.resolve("pipeline"));
        store = new RunStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String failed(FailureKind kind) {
        String id = store.createRun("publish", "{}", "CLI", null).run().id();
        assertTrue(store.claimRun(id));
        store.finishRun(id, RunStatus.FAILED, "upload", "boom", null, kind);
        return id;
    }

    @Test
    void permanentFailuresAreNotDueForRetry() {
        String permanent = failed(FailureKind.PERMANENT);
        String transientOne = failed(FailureKind.TRANSIENT);
        assertEquals(FailureKind.PERMANENT, store.get(permanent).failureKind());
        assertEquals(List.of(transientOne), store.dueForRetry(PUBLISH, 5).stream().map(Run::id).toList());
    }

    @Test
    void aResumedRunThatDiesIsRetriedDespiteAnEarlierPermanentFailure() {
        String id = failed(FailureKind.PERMANENT);
        store.resume(id, false); // a person fixed the wallet
        assertNull(store.get(id).failureKind());
        assertTrue(store.claimRun(id));
        assertTrue(store.claimStage(id, "upload", store.get(id).attempt(), "test").isPresent());
        assertEquals(List.of(id), store.recoverInterrupted()); // the process died during the new attempt
        assertEquals(List.of(id), store.dueForRetry(PUBLISH, 5).stream().map(Run::id).toList());
    }
}
