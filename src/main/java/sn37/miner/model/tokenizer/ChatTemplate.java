package sn37.miner.model.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tokenizer's Jinja chat template rendered with Jinjava the way transformers renders it
 * ({@code utils/chat_template_utils.py}: an environment with {@code trim_blocks} and
 * {@code lstrip_blocks}, the variables {@code messages}, {@code add_generation_prompt} and the
 * special tokens, and the functions {@code raise_exception} and {@code strftime_now}).
 */
public final class ChatTemplate {

    private static final Jinjava JINJAVA = newJinjava();

    private final String source;

    public ChatTemplate(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    /**
     * @param specialTokens e.g. {@code bos_token}, {@code eos_token}: passed to the template as
     *     transformers passes its {@code special_tokens_map}
     * @throws ChatTemplateException when the template raises or does not parse
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, String> specialTokens) {
        Map<String, Object> bindings = new HashMap<>(specialTokens);
        bindings.put("messages", messages.stream().map(ChatMessage::asMap).toList());
        bindings.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = JINJAVA.renderForResult(source, bindings);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(error);
            }
        }
        return result.getOutput();
    }

    /**
     * The template is a file's text, and so are its {@code raise_exception} messages and Jinjava's excerpts: the
     * message gives the line and the kind of failure only, and the raised text is kept apart.
     */
    private static ChatTemplateException failure(TemplateError error) {
        String line = error.getLineno() > 0 ? " at template line " + error.getLineno() : "";
        for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateRaised raised) {
                return new ChatTemplateException("chat template failed" + line + ": the template called"
                        + " raise_exception (the chat does not fit its rules)", raised.getMessage());
            }
        }
        String reason = error.getReason() == null ? "error"
                : error.getReason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return new ChatTemplateException("chat template failed" + line + ": " + reason, null);
    }

    /** The template's own {@code raise_exception(message)}: stops rendering with that message. */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** {@code strftime_now(format)}: the local time in a C strftime format (the directives templates use). */
    public static String strftimeNow(String format) {
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char directive = format.charAt(++i);
            out.append(switch (directive) {
                case 'd' -> String.format(Locale.ROOT, "%02d", now.getDayOfMonth());
                case 'm' -> String.format(Locale.ROOT, "%02d", now.getMonthValue());
                case 'Y' -> String.valueOf(now.getYear());
                case 'b' -> now.format(DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH));
                case 'B' -> now.format(DateTimeFormatter.ofPattern("MMMM", Locale.ENGLISH));
                case 'H' -> String.format(Locale.ROOT, "%02d", now.getHour());
                case 'M' -> String.format(Locale.ROOT, "%02d", now.getMinute());
                case '%' -> "%";
                default -> "%" + directive;
            });
        }
        return out.toString();
    }

    private static Jinjava newJinjava() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withAllowAdjacentTextNodes(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "strftime_now", ChatTemplate.class, "strftimeNow", String.class));
        return jinjava;
    }

    /** Carries a template's {@code raise_exception} message out of Jinjava. */
    private static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }

    /** Rendering failed; the message says where and what kind, never the template's text. */
    public static final class ChatTemplateException extends IllegalArgumentException {
        private final transient String raised;

        ChatTemplateException(String message, String raised) {
            super(message);
            this.raised = raised;
        }

        /** The message the template passed to {@code raise_exception}, or null; never put into an error text. */
        public String raised() {
            return raised;
        }
    }
}
