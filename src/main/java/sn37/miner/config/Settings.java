package sn37.miner.config;

import sn37.miner.util.Echo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration keys: {@code config/application.properties} under the miner's home directory, overridden
 * by environment variables (the key upper-cased, dots and dashes as underscores: {@code PIPELINE_DB_PATH}),
 * overridden in turn by {@code --key=value} arguments. Only keys that the properties file declares may be
 * overridden; anything else is an error, as a misspelt key would otherwise be ignored silently.
 *
 * <p>{@code ${home}} in a value is the miner's home directory. Every value is checked against its rule in
 * {@link ConfigRules} when loaded; an error is one line naming where the value came from (file and line,
 * environment variable or argument) and what is expected, never the value itself.
 */
public final class Settings {
    public static final String FILE = "config/application.properties";

    private final Path home;
    private final Map<String, String> values;
    /** Where each value came from, as an error names it: "FILE:LINE: ", "--key: ", "environment variable X: ". */
    private final Map<String, String> origins;

    private Settings(Path home, Map<String, String> values, Map<String, String> origins) {
        this.home = home;
        this.values = values;
        this.origins = origins;
    }

    public static Settings load(Path home, Env env, List<String> overrides) {
        Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file not found: " + file
                    + " (run from the miner's directory, or set -Dsn37.home to it)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        PropertiesFile.read(file).forEach((k, e) -> {
            if (!ConfigRules.RULES.containsKey(k)) {
                throw new ConfigException(file + ":" + e.line() + ": unknown configuration key (the keys this version"
                        + " reads are those of the " + FILE + " it ships with)");
            }
            values.put(k, e.value().strip());
            origins.put(k, file + ":" + e.line() + ": ");
        });
        for (String key : ConfigRules.RULES.keySet()) {
            if (!values.containsKey(key)) throw new ConfigException(file + ": the key " + key + " is missing");
        }
        for (String key : List.copyOf(values.keySet())) {
            env.get(envName(key)).ifPresent(v -> {
                values.put(key, v);
                origins.put(key, "environment variable " + envName(key) + ": ");
            });
        }
        for (Map.Entry<String, String> o : parseOverrides(overrides).entrySet()) {
            if (!values.containsKey(o.getKey())) {
                throw new ConfigException("unknown configuration key '" + o.getKey() + "' in --" + o.getKey() + "=...:"
                        + " the keys are listed, with comments, in " + FILE);
            }
            values.put(o.getKey(), o.getValue());
            origins.put(o.getKey(), "--" + o.getKey() + ": ");
        }
        String homeText = home.toAbsolutePath().normalize().toString();
        values.replaceAll((k, v) -> v.replace("${home}", homeText));
        values.forEach((k, v) -> check(k, v, origins.get(k)));
        return new Settings(home.toAbsolutePath().normalize(), values, origins);
    }

    private static void check(String key, String value, String origin) {
        ConfigRules.Rule rule = ConfigRules.RULES.get(key);
        String expected = rule == null ? null : rule.check(value);
        if (expected != null) throw new ConfigException(origin + key + " must be " + expected);
    }

    static Map<String, String> parseOverrides(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("-") && arg.indexOf('=') < 0) {
                throw new ConfigException("unknown flag " + Echo.quoted(arg) + " (--help lists the flags;"
                        + " configuration overrides are --key=value)");
            }
            if (!arg.startsWith("--") || arg.indexOf('=') < 3) {
                throw new ConfigException("unexpected argument " + Echo.quoted(arg)
                        + ": configuration overrides are --key=value");
            }
            int eq = arg.indexOf('=');
            out.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return out;
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Path home() {
        return home;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) throw new ConfigException("missing configuration key '" + key + "' in " + FILE);
        return v;
    }

    public int getInt(String key, int min, int max) {
        String v = get(key);
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(origin(key) + key + " must be an integer in [" + min + ", " + max + "]");
        }
    }

    public boolean getBoolean(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(origin(key) + key + " must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    /** Where the value of {@code key} came from, for an error about it: "FILE:LINE: ", "--key: ", ... */
    public String origin(String key) {
        return origins.getOrDefault(key, "");
    }

    /** A path value, resolved against the home directory when relative. */
    public Path path(String key) {
        return home.resolve(get(key)).normalize();
    }

    /** A copy with some keys replaced (tests, and the CLI's one-shot mode that needs no HTTP server). */
    public Settings with(Map<String, String> replacements) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        Map<String, String> from = new LinkedHashMap<>(origins);
        replacements.forEach((k, v) -> {
            if (!copy.containsKey(k)) throw new ConfigException("unknown configuration key '" + k + "'");
            check(k, v, "");
            copy.put(k, v);
            from.remove(k);
        });
        return new Settings(home, copy, from);
    }

    /** A copy without some keys, so that the library's own default applies. */
    public Settings without(String... keys) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        for (String k : keys) copy.remove(k);
        return new Settings(home, copy, origins);
    }

    public Properties asProperties() {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }

    /** The effective configuration, one key per line, with secrets masked. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        values.forEach((k, v) -> lines.add(k + " = " + (isSecretKey(k) && !v.isEmpty() ? "****" : v)));
        return lines;
    }

    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("token") || k.contains("password") || k.contains("secret") || k.endsWith("key");
    }
}
