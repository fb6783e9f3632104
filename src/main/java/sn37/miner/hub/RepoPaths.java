package sn37.miner.hub;

/** Path-in-repo rules, as huggingface_hub's _commit_api.py _validate_path_in_repo applies them. */
final class RepoPaths {
    private RepoPaths() {}

    static String check(String path) {
        if (path == null) {
            throw new IllegalArgumentException("path in repo is null");
        }
        String p = path.startsWith("./") ? path.substring(2) : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty() || p.contains("\\")) {
            throw new IllegalArgumentException("invalid path in repo '" + path + "'");
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.equals(".git")) {
                throw new IllegalArgumentException("invalid path in repo '" + path
                        + "': no empty, '.', '..' or '.git' segments");
            }
        }
        return p;
    }
}
