package sn37.miner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real run store: reconcile before sending, intend → send → confirm, typed records as JSON. */
class EffectLedgerTest {
    record Request(String text, int netuid) {}

    record Answer(long block) {}

    private static final EffectLedger.Kind<Request, Answer> KIND =
            new EffectLedger.Kind<>("test:", Request.class, Answer.class);

    @TempDir Path dir;
    private RunDatabase db;
    private RunStore store;
    private String runId;
    private EffectLedger ledger;

    @BeforeEach
    void open() {
        db = RunDatabase.open(dir.resolve("pipeline"));
        store = new RunStore(db.dataSource());
        runId = store.createRun("pipeline", "{}", "HTTP", null).run().id();
        ledger = new EffectLedger(new StoreEffects(store, runId, "commit"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void recordsTheIntentBeforeTheCallAndTheAnswerAfterIt() throws Exception {
        List<EffectStatus> seenDuringTheCall = new ArrayList<>();

        long block = ledger.send(KIND, "test:1", new Request("m", 37), () -> {
            seenDuringTheCall.add(store.findEffect("test:1").orElseThrow().status());
            return 20_001L;
        }, Answer::new);

        assertEquals(20_001L, block);
        assertEquals(List.of(EffectStatus.INTENDED), seenDuringTheCall);
        ExternalEffect row = store.findEffect("test:1").orElseThrow();
        assertEquals(EffectStatus.CONFIRMED, row.status());
        assertEquals("{\"text\":\"m\",\"netuid\":37}", row.requestJson());
        assertEquals("{\"block\":20001}", row.responseJson());
    }

    @Test
    void aCallThatThrowsLeavesTheIntentForTheNextReconcile() throws Exception {
        assertThrows(IOException.class, () -> ledger.send(KIND, "test:1", new Request("m", 37), () -> {
            throw new IOException("answer lost");
        }, Answer::new));
        assertEquals(EffectStatus.INTENDED, store.findEffect("test:1").orElseThrow().status());

        List<EffectLedger.Entry<Request, Answer>> settled = ledger.reconcile(KIND, sent -> Optional.of(new Answer(7)));

        assertEquals(List.of(new EffectLedger.Entry<>("test:1", EffectStatus.CONFIRMED, new Request("m", 37),
                new Answer(7))), settled);
    }

    @Test
    void reconcileMarksWhatNeverLandedAbsentAndLeavesOtherKindsAlone() throws Exception {
        store.intendEffect("test:1", runId, "commit", "{\"text\":\"m\",\"netuid\":37}");
        store.intendEffect("other:1", runId, "commit", "{\"anything\":true}");
        List<Request> asked = new ArrayList<>();

        List<EffectLedger.Entry<Request, Answer>> settled = ledger.reconcile(KIND, sent -> {
            asked.add(sent);
            return Optional.empty();
        });

        assertEquals(List.of(new Request("m", 37)), asked);
        assertEquals(EffectStatus.ABSENT, settled.get(0).status());
        assertNull(settled.get(0).answer());
        assertEquals(EffectStatus.INTENDED, store.findEffect("other:1").orElseThrow().status());
    }

    @Test
    void whenTheRemoteCannotTellYetNothingIsSettled() {
        store.intendEffect("test:1", runId, "commit", "{\"text\":\"m\",\"netuid\":37}");

        assertThrows(IllegalStateException.class, () -> ledger.reconcile(KIND, sent -> {
            throw new IllegalStateException("may still land until block 20064");
        }));

        assertEquals(EffectStatus.INTENDED, store.findEffect("test:1").orElseThrow().status());
    }

    @Test
    void readsRowsWrittenWithFieldsThisVersionDoesNotKnowOrLacks() {
        store.intendEffect("test:1", runId, "commit", "{\"text\":\"m\",\"netuid\":37,\"nonce\":4}");
        store.confirmEffect("test:1", "{\"block\":19990,\"extra\":\"x\"}");
        store.intendEffect("test:2", runId, "commit", "{\"text\":\"n\"}");

        List<EffectLedger.Entry<Request, Answer>> entries = ledger.entries(KIND);

        assertEquals(new Request("m", 37), entries.get(0).request());
        assertEquals(new Answer(19_990), entries.get(0).answer());
        assertEquals(new Request("n", 0), entries.get(1).request());
    }

    @Test
    void aRowThatIsNotItsKindsRecordNamesTheEffectNotItsContent() {
        store.intendEffect("test:1", runId, "commit", "{\"text\": [\"secret-ish\"]}");

        RunStoreException e = assertThrows(RunStoreException.class, () -> ledger.entries(KIND));

        assertTrue(e.getMessage().contains("effect test:1"), e.getMessage());
        assertTrue(e.getMessage().contains("Request"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-ish"), e.getMessage());
    }
}
