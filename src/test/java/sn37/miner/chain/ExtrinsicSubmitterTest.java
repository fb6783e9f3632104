package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.fake.FakeSubtensor;

class ExtrinsicSubmitterTest {
    private static final int NETUID = 37;
    private final Sr25519Keypair hotkey = ChainTestKit.testHotkey();
    private FakeSubtensor node;
    private SubtensorClient chain;

    private ExtrinsicSubmitter start(FakeSubtensor.Runtime runtime) throws Exception {
        node = FakeSubtensor.start(runtime, 5_000);
        node.registerNeuron(NETUID, 3, hotkey.publicKey());
        chain = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast());
        return new ExtrinsicSubmitter(chain);
    }

    @AfterEach
    void stop() {
        if (chain != null) chain.close();
        if (node != null) node.close();
    }

    @Test
    void signsAgainstTheRunningRuntimeAndFollowsTheCommitToFinality() throws Exception {
        ExtrinsicSubmitter submitter = start(FakeSubtensor.Runtime.RAONET_218);
        PreparedExtrinsic x = submitter.prepare(hotkey, call(ChainTestKit.RECORDED_METADATA));
        assertEquals(0, x.nonce());
        assertEquals(218, x.specVersion());
        assertEquals(32, x.eraPeriod());
        assertTrue(x.eraBirth() <= 5_000 && x.deathBlock() > 5_000, x.toString());

        Inclusion inclusion = submitter.submitAndWatch(x, true);

        assertTrue(inclusion.finalized());
        assertEquals(5_001, inclusion.block().number());
        assertEquals(1, inclusion.extrinsicIndex()); // after the timestamp inherent
        assertEquals(ChainTestKit.RECORDED_METADATA, node.commitment(NETUID, hotkey.publicKey()).orElseThrow().firstRawText().orElseThrow());
        assertEquals(x.hash(), inclusion.extrinsicHash());
    }

    @Test
    void namesTheModuleErrorWhenTheCommitFailsInItsBlock() throws Exception {
        ExtrinsicSubmitter submitter = start(FakeSubtensor.Runtime.RAONET_218);
        submitter.submitAndWatch(submitter.prepare(hotkey, call(ChainTestKit.metadata("a", 1))), true);

        PreparedExtrinsic second = submitter.prepare(hotkey, call(ChainTestKit.metadata("a", 2)));
        ExtrinsicFailedException e = assertThrows(ExtrinsicFailedException.class, () -> submitter.submitAndWatch(second, true));

        assertEquals(new DispatchFailure("Commitments", "CommitmentSetRateLimitExceeded"), e.failure());
        assertEquals(5_002, e.block().number());
        assertTrue(e.getMessage().contains("Commitments.CommitmentSetRateLimitExceeded"), e.getMessage());
        assertEquals(2, chain.accountNextIndex(Ss58.encode(hotkey.publicKey())), "the failed extrinsic used its nonce");
    }

    @Test
    void signsForFinneySpec343WithItsExtensionList() throws Exception {
        ExtrinsicSubmitter submitter = start(FakeSubtensor.Runtime.FINNEY_343);
        RuntimeMetadata md = chain.metadata();
        assertTrue(md.signedExtensionIdentifiers().contains("DrandPriority"));

        Inclusion inclusion = submitter.submitAndWatch(submitter.prepare(hotkey, call(ChainTestKit.RECORDED_METADATA)), true);

        assertTrue(inclusion.finalized());
        assertEquals(343, chain.runtimeVersion().specVersion());
    }

    @Test
    void reportsAnExtrinsicThePoolRefusesAsRejected() throws Exception {
        ExtrinsicSubmitter submitter = start(FakeSubtensor.Runtime.RAONET_218);
        PreparedExtrinsic x = submitter.prepare(hotkey, call(ChainTestKit.RECORDED_METADATA));
        byte[] bytes = x.bytes();
        bytes[bytes.length - 1] ^= 1; // the call no longer matches the signature
        PreparedExtrinsic tampered = new PreparedExtrinsic(bytes, x.hash(), x.signer(), x.nonce(), x.eraBirth(),
                x.eraPeriod(), x.specVersion());

        ExtrinsicRejectedException e = assertThrows(ExtrinsicRejectedException.class,
                () -> submitter.submitAndWatch(tampered, true));

        assertTrue(e.getMessage().contains("badProof") && e.getMessage().contains("1010"), e.getMessage());
        assertTrue(node.commitment(NETUID, hotkey.publicKey()).isEmpty());
    }

    @Test
    void reportsALostConnectionAfterInclusionAsOutcomeUnknownWithTheBlock() throws Exception {
        ExtrinsicSubmitter submitter = start(FakeSubtensor.Runtime.RAONET_218);
        node.dropConnectionAfterInclusion();
        PreparedExtrinsic x = submitter.prepare(hotkey, call(ChainTestKit.RECORDED_METADATA));

        ExtrinsicOutcomeUnknownException e = assertThrows(ExtrinsicOutcomeUnknownException.class,
                () -> submitter.submitAndWatch(x, true));

        assertEquals(5_001, e.inBlock().orElseThrow().number());
        assertEquals(x.hash(), e.extrinsic().hash());
        assertEquals(1, node.submissions().size());
    }

    @Test
    void givesUpWaitingForFinalityAfterTheFinalityBudget() throws Exception {
        ExtrinsicSubmitter submitter = start(FakeSubtensor.Runtime.RAONET_218);
        node.stallFinality(true);
        PreparedExtrinsic x = submitter.prepare(hotkey, call(ChainTestKit.RECORDED_METADATA));

        ExtrinsicOutcomeUnknownException e = assertThrows(ExtrinsicOutcomeUnknownException.class,
                () -> submitter.submitAndWatch(x, true));

        assertTrue(e.getMessage().contains("not finalized within 5 blocks"), e.getMessage());
        assertTrue(e.inBlock().isPresent());
        Sr25519Keypair other = ChainTestKit.key(9);
        node.registerNeuron(NETUID, 4, other.publicKey());
        Inclusion atInclusion = submitter.submitAndWatch(submitter.prepare(other, call("x")), false);
        assertFalse(atInclusion.finalized(), "without waiting for finality it returns at inclusion");
    }

    @Test
    void usesTheAccountsNextNonceIncludingItsPooledExtrinsics() throws Exception {
        ExtrinsicSubmitter submitter = start(FakeSubtensor.Runtime.RAONET_218);
        node.autoBlocks(false);
        PreparedExtrinsic first = submitter.prepare(hotkey, call(ChainTestKit.metadata("a", 1)));
        chain.rpc().call("author_submitExtrinsic", first.hex());
        PreparedExtrinsic second = submitter.prepare(hotkey, call(ChainTestKit.metadata("a", 2)));
        assertEquals(first.nonce() + 1, second.nonce());
    }

    @Test
    void refusesToSignForARuntimeWithASignedExtensionItCannotEncode() throws Exception {
        // A runtime upgrade renames an extension: "DrandPriority" becomes "ZrandPriority" (same length, valid SCALE).
        String drand = java.util.HexFormat.of().formatHex("DrandPriority".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String zrand = java.util.HexFormat.of().formatHex("ZrandPriority".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        node = FakeSubtensor.start(FakeSubtensor.Runtime.FINNEY_343, 5_000, hex -> hex.replace(drand, zrand));
        node.registerNeuron(NETUID, 3, hotkey.publicKey());
        chain = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast());
        ExtrinsicSubmitter submitter = new ExtrinsicSubmitter(chain);

        SignedExtensions.UnsupportedExtensionException e = assertThrows(SignedExtensions.UnsupportedExtensionException.class,
                () -> submitter.prepare(hotkey, call(ChainTestKit.RECORDED_METADATA)));

        assertTrue(e.getMessage().startsWith("the runtime requires signed extension 'ZrandPriority'"), e.getMessage());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void callsRuntimeApisAtABlock() throws Exception {
        start(FakeSubtensor.Runtime.RAONET_218);
        byte[] v14 = chain.stateCall("Metadata_metadata_at_version", new byte[] {14, 0, 0, 0}, chain.bestBlock());
        assertEquals(chain.metadata().pallets().size(), RuntimeMetadata.decodeMetadataAtVersion(v14).pallets().size());
        assertEquals("0x00", sn37.miner.chain.scale.Hex.encode(
                chain.stateCall("Metadata_metadata_at_version", new byte[] {15, 0, 0, 0}, chain.bestBlock())));
    }

    private byte[] call(String metadata) {
        return SetCommitment.call(chain.metadata().callIndex("Commitments", "set_commitment"), NETUID, metadata);
    }
}
