package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.fake.FakeSubtensor;

/**
 * A program that embeds the client ends when its work does: close() releases OkHttp's threads. Before, the
 * dispatcher's thread (not a daemon) idled for a minute after close() and kept the JVM alive.
 */
class SubtensorClientCloseTest {

    /** OkHttp names a dispatcher thread after the call it runs: for a WebSocket, its reader, for as long as it reads. */
    private static List<Thread> readersOf(String endpoint) {
        String port = ":" + java.net.URI.create(endpoint).getPort() + "/";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("OkHttp") && t.getName().contains(port))
                .toList();
    }

    @Test
    void closeLeavesNoOkHttpThreadBehind() throws Exception {
        try (FakeSubtensor node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000)) {
            SubtensorClient chain = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast());
            assertEquals(20_000, chain.bestBlock().number());
            List<Thread> readers = readersOf(node.endpoint());
            assertFalse(readers.isEmpty(), "the client reads its WebSocket on an OkHttp dispatcher thread");
            chain.close();

            // the thread ends as soon as the socket's reader returns; before, it idled 60 s in the dispatcher's pool
            for (Thread t : readers) t.join(15_000);
            assertEquals(List.of(), readers.stream().filter(Thread::isAlive).map(Thread::getName).toList(),
                    "OkHttp threads still alive after close()");
            assertTrue(node.violations().isEmpty(), node.violations().toString());
        }
    }

    @Test
    void twoClientsCloseIndependently() throws Exception {
        try (FakeSubtensor node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
                SubtensorClient first = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast())) {
            SubtensorClient second = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast());
            second.bestBlock();
            second.close();
            assertEquals(20_000, first.bestBlock().number(), "closing one client must not stop another's threads");
            assertTrue(node.violations().isEmpty(), node.violations().toString());
        }
    }
}
