package sn37.miner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn37.miner.data.McSample;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningTask;
import sn37.miner.model.tokenizer.ChatMessage;
import sn37.miner.model.tokenizer.ChatTokenizer;

class ChatExampleTest {

    private static ChatTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = ChatTokenizer.bundled();
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void thePromptIsTheValidatorsAndTheAnswerIsTheLetterThenEos() {
        McSample sample = new McSample("Which?\nA. x\nB. y\nAnswer: ", "B");
        ChatExample example = ChatExample.of(sample, tokenizer, 4096);
        long[] validatorPrompt = tokenizer.applyChatTemplate(List.of(ChatMessage.user(sample.challenge())), true, 4096);
        assertEquals(validatorPrompt.length, example.promptLength());
        assertArrayEquals(validatorPrompt, Arrays.copyOf(example.ids(), example.promptLength()));
        assertArrayEquals(new long[] {33, 100257}, Arrays.copyOfRange(example.ids(), example.promptLength(),
                example.length()), "'B' is 33 in cl100k, then <|endoftext|>");
    }

    @Test
    void aLongPromptLosesItsStartSoTheAnswerStillFits() {
        McSample sample = new McSample("word ".repeat(100) + "Answer: ", "C");
        ChatExample example = ChatExample.of(sample, tokenizer, 20);
        assertEquals(20, example.length());
        long[] whole = tokenizer.applyChatTemplate(List.of(ChatMessage.user(sample.challenge())), true, 0);
        assertArrayEquals(Arrays.copyOfRange(whole, whole.length - 18, whole.length),
                Arrays.copyOf(example.ids(), 18));
    }

    @Test
    void aReasoningRowIsTheValidatorsPromptThenTheReferenceThenEosAndOnlyTheseAreScored() {
        ReasoningSample row = new ReasoningSample(ReasoningTask.SYNTHETIC_1_SFT, "What is 2+3?",
                "<think>2 and 3</think> so \\boxed{5}", null, "verifiable_math");
        ChatExample example = ChatExample.of(row, tokenizer, 16_384);
        String prompt = tokenizer.decode(Arrays.copyOf(example.ids(), example.promptLength()), false);
        assertEquals("<|im_start|>system\n" + ReasoningTask.SYSTEM_PROMPT + "<|im_end|>\n<|im_start|>user\nWhat is"
                + " 2+3?<|im_end|>\n<|im_start|>assistant\n", prompt);
        long[] reference = tokenizer.encode(row.reference());
        long[] scored = Arrays.copyOfRange(example.ids(), example.promptLength(), example.length());
        assertArrayEquals(reference, Arrays.copyOf(scored, reference.length));
        assertEquals(List.of(reference.length + 1, 100257L), List.of(scored.length, scored[scored.length - 1]));
    }

    @Test
    void aReasoningRowWhoseReferenceCannotFitIsNoExample() {
        ReasoningSample row = new ReasoningSample(ReasoningTask.CODEFORCES_COTS, "q", "word ".repeat(50), null, null);
        assertNull(ChatExample.of(row, tokenizer, 20));
        assertEquals(60, ChatExample.of(row, tokenizer, 60).length());
    }
}
