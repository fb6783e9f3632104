package sn37.miner.hub;

import java.util.regex.Pattern;

/** A model repo id, {@code namespace/name}, with the Hub's naming rules (huggingface_hub utils/_validators.py). */
public record RepoId(String namespace, String name) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,94}[A-Za-z0-9])?");

    public RepoId {
        check(namespace, "namespace");
        check(name, "name");
    }

    public static RepoId parse(String id) {
        int slash = id.indexOf('/');
        if (slash < 0 || slash != id.lastIndexOf('/')) {
            throw new IllegalArgumentException("repo id must be namespace/name, got '" + id + "'");
        }
        return new RepoId(id.substring(0, slash), id.substring(slash + 1));
    }

    private static void check(String part, String what) {
        if (part == null || !PART.matcher(part).matches() || part.contains("--") || part.contains("..")) {
            throw new IllegalArgumentException("invalid repo " + what + " '" + part
                    + "': use letters, digits, '-', '_' and '.', at most 96 characters, no '--' or '..'");
        }
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
