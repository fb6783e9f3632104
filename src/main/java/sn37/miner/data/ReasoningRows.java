package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one dataset-viewer row into a {@link ReasoningSample} with the validators' filters and reference formats
 * (finetuning @afd44037 {@code hugging_face_loader.py}), or says why it is dropped.
 *
 * <p>SYNTHETIC-1 SFT (columns {@code response_id, problem_id, task_type, score, messages}): only the task types
 * validators score ({@code verifiable_math}, {@code code_output_prediction}); the user turn is
 * {@code messages[0].content}, the answer is the last {@code \boxed{...}} (math) or {@code {"output": "..."}}
 * (code) in {@code messages[1].content}, the trace is that message without it, and the reference is
 * {@code trace.strip() + " \boxed{answer}"} or {@code trace.strip() + ' {"output": "answer"}'}. No length limit.
 *
 * <p>Codeforces CoTs ({@code id, contest_type, ..., messages}): exactly two messages; the reference is
 * {@code messages[1].content.strip()}; rows whose estimated length ({@code len // 4} per text + 10, in code points)
 * is over 16,384 tokens are dropped.
 *
 * <p>Beyond the validators: a row whose question or reference is blank is dropped (it teaches and measures
 * nothing), and so is one whose {@code messages} cell the viewer cut short. Drop details describe values by kind
 * and size, never by their text.
 */
final class ReasoningRows {
    static final String NOT_OBJECT = "row is not a JSON object";
    static final String TRUNCATED = "messages cut short by the dataset viewer";
    static final String UNSCORED_TYPE = "task_type not scored by validators";
    static final String BAD_MESSAGES = "messages missing or malformed";
    static final String NOT_TWO_MESSAGES = "not exactly two messages";
    static final String TOO_LONG = "over the 16,384-token length estimate";
    static final String BLANK = "blank question or reference";

    /** {@code Synthetic1SFTLoader.supported_task_types}. */
    static final Set<String> SCORED_TYPES = Set.of("verifiable_math", "code_output_prediction");
    /** {@code CodeforcesCOTSLoader(max_sequence_length=16384, chars_per_token=4)} and its +10 for special tokens. */
    static final int MAX_ESTIMATED_TOKENS = 16_384;
    private static final int CHARS_PER_TOKEN = 4;
    private static final int SPECIAL_TOKENS = 10;

    private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{(.*?)\\}");
    private static final Pattern OUTPUT = Pattern.compile("\\{\"output\": \"(.*?)\"\\}");

    /** Either {@code sample} is set, or {@code reason} and {@code detail} are. */
    record Parsed(ReasoningSample sample, String reason, String detail) {
        static Parsed drop(String reason, String detail) {
            return new Parsed(null, reason, detail);
        }
    }

    private ReasoningRows() {}

    static Parsed parse(ReasoningTask task, JsonNode row, List<String> truncatedCells) {
        if (row == null || !row.isObject()) {
            return Parsed.drop(NOT_OBJECT, "the row is not a JSON object");
        }
        if (truncatedCells.contains("messages")) {
            return Parsed.drop(TRUNCATED, "the viewer truncated the messages cell");
        }
        JsonNode messages = row.get("messages");
        return switch (task) {
            case SYNTHETIC_1_SFT -> synthetic(row, messages);
            case CODEFORCES_COTS -> codeforces(row, messages);
        };
    }

    private static Parsed synthetic(JsonNode row, JsonNode messages) {
        String type = text(row.get("task_type"));
        if (type == null || !SCORED_TYPES.contains(type)) {
            return Parsed.drop(UNSCORED_TYPE, type == null ? "no task_type" : "task_type of "
                    + type.length() + " characters is neither verifiable_math nor code_output_prediction");
        }
        String problem = content(messages, 0);
        String answerTurn = content(messages, 1);
        if (problem == null || answerTurn == null) {
            return Parsed.drop(BAD_MESSAGES, "expected messages[0] and messages[1] with string content");
        }
        String reference = type.equals("verifiable_math") ? mathReference(answerTurn) : codeReference(answerTurn);
        return keep(ReasoningTask.SYNTHETIC_1_SFT, problem, reference, text(row.get("problem_id")), type);
    }

    private static Parsed codeforces(JsonNode row, JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.size() != 2) {
            return Parsed.drop(NOT_TWO_MESSAGES, messages != null && messages.isArray()
                    ? "messages holds " + messages.size() + " turns" : "no messages list");
        }
        String problem = content(messages, 0);
        String trace = content(messages, 1);
        if (problem == null || trace == null) {
            return Parsed.drop(BAD_MESSAGES, "expected two turns with string content");
        }
        long estimate = estimate(problem) + estimate(trace) + SPECIAL_TOKENS;
        if (estimate > MAX_ESTIMATED_TOKENS) {
            return Parsed.drop(TOO_LONG, "about " + estimate + " tokens");
        }
        return keep(ReasoningTask.CODEFORCES_COTS, problem, PyStrings.strip(trace), text(row.get("id")),
                text(row.get("contest_type")));
    }

    private static Parsed keep(ReasoningTask task, String question, String reference, String id, String kind) {
        if (question.isBlank() || reference.isBlank()) {
            return Parsed.drop(BLANK, "question of " + question.length() + " and reference of " + reference.length()
                    + " characters");
        }
        return new Parsed(new ReasoningSample(task, question, reference, id, kind), null, null);
    }

    /** {@code _parse_verifiable_math} then {@code trace.strip() + " \boxed{" + answer + "}"}. */
    static String mathReference(String turn) {
        String answer = last(BOXED.matcher(turn));
        String trace = turn;
        if (!answer.isEmpty()) {
            int at = turn.lastIndexOf("\\boxed{" + answer + "}");
            if (at > -1) {
                trace = PyStrings.strip(turn.substring(0, at));
            }
        }
        return PyStrings.strip(trace) + " \\boxed{" + answer + "}";
    }

    /** {@code _parse_code_output_prediction} then {@code trace.strip() + ' {"output": "' + answer + '"}'}. */
    static String codeReference(String turn) {
        String answer = last(OUTPUT.matcher(turn));
        String trace = turn;
        if (!answer.isEmpty()) {
            // str.replace(old, "", 1): the first occurrence of the last match's text.
            String output = "{\"output\": \"" + answer + "\"}";
            int at = turn.indexOf(output);
            trace = turn.substring(0, at) + turn.substring(at + output.length());
        }
        return PyStrings.strip(trace) + " {\"output\": \"" + answer + "\"}";
    }

    /** The last group of {@code re.findall}, or "" when nothing matches. */
    private static String last(Matcher m) {
        String found = "";
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    /** {@code len(text) // chars_per_token}: Python counts code points. */
    private static long estimate(String text) {
        return text.codePointCount(0, text.length()) / CHARS_PER_TOKEN;
    }

    private static String content(JsonNode messages, int i) {
        if (messages == null || !messages.isArray() || messages.size() <= i) {
            return null;
        }
        return text(messages.get(i).get("content"));
    }

    private static String text(JsonNode v) {
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
