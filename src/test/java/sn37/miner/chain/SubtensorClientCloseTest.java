package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import sn37.miner.fake.FakeSubtensor;

/**
 * A program that embeds the client ends when its work does: close() releases OkHttp's threads. Before, the
 * dispatcher's thread (not a daemon) idled for a minute after close() and kept the JVM alive.
 */
class SubtensorClientCloseTest {

    private static Set<Thread> okHttpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("OkHttp") && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void closeLeavesNoOkHttpThreadBehind() throws Exception {
        Set<Thread> before = okHttpThreads();
        try (FakeSubtensor node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000)) {
            SubtensorClient chain = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast());
            assertEquals(20_000, chain.bestBlock().number());
            assertFalse(okHttpThreads().stream().allMatch(before::contains), "the client runs on OkHttp threads");
            chain.close();

            // the threads end as soon as the socket's reader returns; without the fix they idle for 60 s
            List<Thread> left = List.of();
            long deadline = System.nanoTime() + 15_000_000_000L;
            do {
                left = okHttpThreads().stream().filter(t -> !before.contains(t)).toList();
                if (!left.isEmpty()) Thread.sleep(50);
            } while (!left.isEmpty() && System.nanoTime() < deadline);
            assertEquals(List.of(), left.stream().map(Thread::getName).toList());
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
