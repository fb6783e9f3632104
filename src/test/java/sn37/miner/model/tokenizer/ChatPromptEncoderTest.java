package sn37.miner.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChatPromptEncoderTest {

    @Test
    void encodesTheValidatorsPromptAndPlainText() {
        try (ChatPromptEncoder encoder = new ChatPromptEncoder(ChatTokenizer.bundled())) {
            assertArrayEquals(new int[] {100264, 882, 198, 3923, 374, 220, 17, 10, 17, 30, 100265, 198, 100264, 78191,
                198}, encoder.encodeChat("What is 2+2?"));
            assertArrayEquals(new int[] {9906, 1917}, encoder.encode("Hello world"));
            assertEquals(100257, encoder.eosTokenId());
            assertEquals("Hello world", encoder.decode(new int[] {9906, 1917, 100257}, true));
        }
    }
}
