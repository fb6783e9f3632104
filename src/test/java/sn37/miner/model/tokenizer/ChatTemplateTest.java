package sn37.miner.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Templates rendered by transformers 5.17.0's {@code apply_chat_template(tokenize=False)}
 * (make_chat_templates.py; see src/test/resources/model/tokenizer/README-chat-templates.md):
 * whitespace control, trim_blocks/lstrip_blocks, loop variables, slicing, filters and
 * raise_exception must come out the same in Jinjava.
 */
class ChatTemplateTest {

    @Test
    void rendersEveryCaseAsTransformers() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/model/tokenizer/chat-templates.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        Map<String, String> special = new HashMap<>();
        golden.get("special_tokens").fields().forEachRemaining(e -> special.put(e.getKey(), e.getValue().asText()));
        int checked = 0;
        for (JsonNode c : golden.get("cases")) {
            ChatTemplate template = new ChatTemplate(golden.get("templates").get(c.get("template").asText()).asText());
            var messages = ChatTokenizerTest.messages(c.get("messages"));
            boolean prompt = c.get("add_generation_prompt").asBoolean();
            String label = c.get("template").asText() + " " + c.get("messages") + " " + prompt;
            if (c.has("error")) {
                var e = assertThrows(ChatTemplate.ChatTemplateException.class,
                        () -> template.render(messages, prompt, special), label);
                assertEquals(c.get("error").asText(), e.raised(), label);
                assertFalse(e.getMessage().contains(c.get("error").asText()), "the template's text in: " + label);
            } else {
                assertEquals(c.get("rendered").asText(), template.render(messages, prompt, special), label);
            }
            checked++;
        }
        assertEquals(24, checked);
    }
}
