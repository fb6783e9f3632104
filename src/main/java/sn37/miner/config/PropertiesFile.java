package sn37.miner.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict reader of {@code config/application.properties}: every line is blank, a comment ({@code #} or
 * {@code !}) or {@code key=value}, with a trailing backslash continuing it. java.util.Properties would take any
 * other line as a key and report a bad escape without its place; here each fault is one line naming the file,
 * line and column, never what the line says.
 */
final class PropertiesFile {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** A value and the line its key is on (1-based). */
    record Entry(String value, int line) {}

    private PropertiesFile() {}

    static Map<String, Entry> read(Path file) {
        List<String> lines;
        try {
            byte[] bytes = Files.readAllBytes(file);
            lines = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString().lines().toList();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int first = i + 1;
            String line = lines.get(i).stripLeading();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) continue;
            StringBuilder logical = new StringBuilder(line);
            while (endsWithOddBackslashes(logical) && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                logical.append(lines.get(++i).stripLeading());
            }
            if (endsWithOddBackslashes(logical)) logical.setLength(logical.length() - 1);
            int eq = logical.indexOf("=");
            String key = eq < 0 ? "" : logical.substring(0, eq).strip();
            if (!KEY.matcher(key).matches()) {
                throw new ConfigException(file + ":" + first + ": expected key=value (a key of letters, digits, '.', '-'"
                        + " and '_', then '='), or a comment starting with #");
            }
            int valueStart = eq + 1;
            while (valueStart < logical.length() && Character.isWhitespace(logical.charAt(valueStart))) valueStart++;
            String value = unescape(logical.substring(valueStart), file, first,
                    lines.get(first - 1).length() - line.length() + valueStart + 1);
            Entry earlier = out.get(key);
            if (earlier != null) {
                throw new ConfigException(file + ":" + first + ": the key on this line is already set on line "
                        + earlier.line());
            }
            out.put(key, new Entry(value, first));
        }
        return out;
    }

    private static boolean endsWithOddBackslashes(CharSequence s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) n++;
        return n % 2 == 1;
    }

    /** The escapes of the properties format; {@code column} is where the value starts on its first line. */
    private static String unescape(String raw, Path file, int line, int column) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (!hex4(raw, i + 1)) {
                        throw new ConfigException(file + ":" + line + ":" + (column + i - 1)
                                + ": malformed \\uXXXX escape (a backslash and u must be followed by 4 hex digits;"
                                + " write \\\\ for a backslash)");
                    }
                    out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    private static boolean hex4(String s, int from) {
        if (from + 4 > s.length()) return false;
        for (int i = from; i < from + 4; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) return false;
        }
        return true;
    }
}
