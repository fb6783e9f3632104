package sn37.miner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {

    @Test
    void padsOnTheRightAndScoresOnlyTheAnswerTokens() {
        ChatExample a = new ChatExample(new long[] {10, 11, 12, 13, 14}, 3); // answer 13, 14
        ChatExample b = new ChatExample(new long[] {20, 21, 22}, 2); // answer 22
        Batch batch = Batch.of(List.of(a, b), 99);
        assertEquals(5, batch.time());
        assertArrayEquals(new long[] {10, 11, 12, 13, 14, 20, 21, 22, 99, 99}, batch.ids());
        // Position t predicts t + 1: a's rows 2 and 3 predict 13 and 14; b's row 1 predicts 22.
        assertArrayEquals(new long[] {2, 3, 6}, batch.rows());
        assertArrayEquals(new long[] {13, 14, 22}, batch.targets());
        assertEquals(8, batch.tokens());
    }

    @Test
    void fullSequenceScoresEveryNextToken() {
        Batch batch = Batch.fullSequence(2, 3, new long[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new long[] {0, 1, 3, 4}, batch.rows());
        assertArrayEquals(new long[] {2, 3, 5, 6}, batch.targets());
    }
}
