package sn37.miner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeHub.Kind;
import sn37.miner.hub.CommitOutcomeUnknownException;
import sn37.miner.hub.CommitResult;
import sn37.miner.hub.PartJournal;
import sn37.miner.hub.UploadListener;

class HubPublisherTest {
    private static final String REPO = FakeHub.USER + "/sn37-model";
    private static final long LIMIT = 10_000_000;

    @TempDir
    Path tmp;

    private FakeHubClients hub;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHubClients();
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
    }

    private UploadPlan plan(Path dir) throws Exception {
        return UploadPlan.prepare(REPO, dir, TinyModels.b7(LIMIT), 2);
    }

    private HubPublisher publisher() {
        return new HubPublisher(hub.client(), PartJournal.NONE, UploadListener.NONE);
    }

    /** Prepare, then send, logging the parent the commit goes on and what the Hub answered. */
    private Publication publish(HubPublisher publisher, UploadPlan plan, long maxBytes) throws Exception {
        HubPublisher.Prepared prepared = publisher.prepare(plan, maxBytes);
        if (!prepared.changesNothing()) {
            log.add("intended " + prepared.pending().parentCommit());
        }
        Publication published = publisher.send(prepared);
        log.add("confirmed " + published.commitOid() + (published.reused() ? " reused" : ""));
        return published;
    }

    private Publication publish(UploadPlan plan) throws Exception {
        return publish(publisher(), plan, LIMIT);
    }

    @Test
    void createsTheRepoPrivateAndReplacesAnEarlierUploadInOneCommit() throws Exception {
        Path first = TinyModels.write(tmp.resolve("first"), 2, 100, 1_000_000, 1);
        publish(plan(first));
        hub.fake.seedCommit(REPO, Map.of("README.md", "# card\n".getBytes(StandardCharsets.UTF_8),
                "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8)), Map.of());
        Path second = TinyModels.write(tmp.resolve("second"), 4, 20_000, 90_000, 2);
        String parent = hub.fake.head(REPO);
        log.clear();

        Publication published = publish(plan(second));

        assertTrue(hub.fake.isPrivate(REPO));
        assertEquals(2, hub.fake.commitsApplied(REPO));
        assertEquals(hub.fake.head(REPO), published.commitOid());
        assertEquals(List.of("model.safetensors", "tokenizer.json"), published.deleted());
        assertFalse(published.reused());
        assertEquals(Set.of("README.md", "config.json", "generation_config.json", "model.safetensors.index.json",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"),
                hub.fake.headFiles(REPO).keySet());
        assertEquals(List.of("intended " + parent, "confirmed " + published.commitOid()), log);
        assertTrue(hub.fake.requests(Kind.COMMIT).get(1).getBody().utf8().startsWith(
                "{\"key\":\"header\",\"value\":{\"summary\":\"Upload LlamaForCausalLM\""));
    }

    @Test
    void makesNoCommitWhenTheHeadAlreadyHoldsExactlyTheseFiles() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        Publication first = publish(plan(dir));

        Publication again = publish(plan(dir));

        assertEquals(first.commitOid(), again.commitOid());
        assertTrue(again.reused());
        assertEquals(1, hub.fake.count(Kind.COMMIT));
    }

    @Test
    void aLostAnswerWhoseCommitLandedIsFoundByReconcilingNotSentAgain() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        hub.fake.dropResponseNext(Kind.COMMIT);
        HubPublisher publisher = publisher();
        HubPublisher.Prepared prepared = publisher.prepare(plan(dir), LIMIT);

        assertThrows(CommitOutcomeUnknownException.class, () -> publisher.send(prepared));
        Optional<CommitResult> landed = publisher.reconcile(prepared.pending());

        assertEquals(Optional.of(hub.fake.head(REPO)), landed.map(CommitResult::commitOid));
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(REPO));
    }

    @Test
    void aLostAnswerWhoseCommitDidNotLandReconcilesToNothingAndMaySendOnceMore() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        hub.fake.failNext(Kind.COMMIT, 502, 1);
        HubPublisher publisher = publisher();
        HubPublisher.Prepared prepared = publisher.prepare(plan(dir), LIMIT);

        assertThrows(CommitOutcomeUnknownException.class, () -> publisher.send(prepared));
        assertEquals(Optional.empty(), publisher.reconcile(prepared.pending()));
        Publication published = publish(plan(dir));

        assertFalse(published.reused());
        assertEquals(2, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(REPO));
        assertEquals(hub.fake.head(REPO), published.commitOid());
    }

    @Test
    void countsTheFilesItKeepsAgainstTheSizeLimitBeforeUploading() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        UploadPlan plan = plan(dir);
        hub.fake.createRepo(REPO, true);
        hub.fake.seedCommit(REPO, Map.of("README.md", new byte[5000]), Map.of());

        PublishException e = assertThrows(PublishException.class,
                () -> publisher().prepare(plan, plan.totalBytes() + 4000));

        assertTrue(e.getMessage().contains("README.md"), e.getMessage());
        assertEquals(0, hub.count(Kind.PREUPLOAD, Kind.LFS_BATCH, Kind.COMMIT));
    }

    @Test
    void refusesAReadOnlyTokenBeforeAnyWrite() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        HubPublisher readOnly = new HubPublisher(hub.client(FakeHubClients.READ_TOKEN, 1), PartJournal.NONE,
                UploadListener.NONE);

        PublishException e = assertThrows(PublishException.class, () -> readOnly.prepare(plan(dir), LIMIT));

        assertTrue(e.getMessage().contains("is read-only"), e.getMessage());
        assertTrue(e.getMessage().contains("/settings/tokens"), e.getMessage());
        assertFalse(e.getMessage().contains(FakeHubClients.READ_TOKEN));
        assertEquals(0, hub.count(Kind.CREATE_REPO, Kind.PREUPLOAD, Kind.LFS_BATCH, Kind.COMMIT));
    }

    @Test
    void refusesANamespaceTheAccountCannotWriteTo() throws Exception {
        Path dir = TinyModels.write(tmp.resolve("model"), 2, 100, 1_000_000, 1);
        UploadPlan plan = UploadPlan.prepare("someone/sn37-model", dir, TinyModels.b7(LIMIT), 2);

        PublishException e = assertThrows(PublishException.class, () -> publisher().prepare(plan, LIMIT));

        assertTrue(e.getMessage().contains("no write access to namespace 'someone'"), e.getMessage());
        assertEquals(0, hub.count(Kind.CREATE_REPO, Kind.PREUPLOAD));
    }
}
