package sn37.miner.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which taoverse {@code get_hash_of_directory} visits files: {@code os.walk} top-down with
 * {@code dirnames.sort()} and {@code sorted(filenames)}, so a directory's files (by name) come before its
 * subdirectories (by name, each recursively). Names sort by Unicode code point, as Python sorts {@code str}.
 */
public final class WalkOrder {

    /** Python {@code str} order: by code point, which String.compareTo gets wrong above U+FFFF. */
    public static final Comparator<String> NAMES = WalkOrder::compareNames;

    /** Order of '/'-separated relative file paths in an os.walk of their common root. */
    public static final Comparator<String> PATHS = WalkOrder::comparePaths;

    private WalkOrder() {
    }

    /**
     * Relative paths ('/'-separated) of the files under {@code dir}, in walk order. Like os.walk, entries
     * that are directories or symlinks to directories are subdirectories, but symlinked directories are not
     * descended into ({@code followlinks=False}); every other entry, a symlinked file included, is a file.
     */
    public static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir + " (expected a model snapshot directory)");
        }
        List<String> out = new ArrayList<>();
        try {
            walk(dir, "", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The given relative paths in walk order.
     *
     * @throws IllegalArgumentException for an absolute path, an empty, '.' or '..' segment, or a duplicate
     */
    public static List<String> sort(Collection<String> relativePaths) {
        List<String> sorted = new ArrayList<>(relativePaths.size());
        for (String path : relativePaths) {
            sorted.add(checkRelative(path));
        }
        sorted.sort(PATHS);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new IllegalArgumentException("duplicate file path '" + sorted.get(i) + "': expected each file once");
            }
        }
        return sorted;
    }

    static int compareNames(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static int comparePaths(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; ; i++) {
            boolean xIsFile = i == x.length - 1;
            boolean yIsFile = i == y.length - 1;
            if (xIsFile != yIsFile) {
                // os.walk yields a directory's files before it recurses into its subdirectories
                return xIsFile ? -1 : 1;
            }
            int c = compareNames(x[i], y[i]);
            if (c != 0 || xIsFile) {
                return c;
            }
        }
    }

    private static void walk(Path dir, String prefix, List<String> out) throws IOException {
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = checkDecoded(entry);
                // DirEntry.is_dir() follows symlinks, as Files.isDirectory does
                (Files.isDirectory(entry) ? dirs : files).add(name);
            }
        }
        files.sort(NAMES);
        dirs.sort(NAMES);
        for (String file : files) {
            out.add(prefix + file);
        }
        for (String sub : dirs) {
            Path child = dir.resolve(sub);
            if (!Files.isSymbolicLink(child)) {
                walk(child, prefix + sub + "/", out);
            }
        }
    }

    /**
     * Python sorts a name that is not valid UTF-8 by its surrogate-escaped bytes; Java decodes it to U+FFFD
     * and loses them, and with a non-UTF-8 {@code sun.jnu.encoding} every non-ASCII name is lost that way.
     */
    private static String checkDecoded(Path entry) {
        String name = entry.getFileName().toString();
        if (name.indexOf('\uFFFD') >= 0) {
            throw new IllegalStateException(
                    "file name " + entry + " did not decode as UTF-8 (sun.jnu.encoding="
                            + System.getProperty("sun.jnu.encoding")
                            + "): expected UTF-8 names and a UTF-8 locale such as LANG=C.UTF-8, or the walk order"
                            + " would differ from Python's");
        }
        return name;
    }

    private static String checkRelative(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException(
                    "file path '" + path + "' is not relative: expected a '/'-separated path under the root");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "file path '" + path + "' has an empty, '.' or '..' segment: expected a plain relative path"
                                + " such as 'sub/model.safetensors'");
            }
        }
        return path;
    }
}
