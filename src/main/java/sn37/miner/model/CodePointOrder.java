package sn37.miner.model;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, which is the order of Rust's {@code String::cmp} (UTF-8
 * bytes) used for safetensors headers and of Python's {@code sorted} used by
 * {@code json.dumps(sort_keys=True)}. {@link String#compareTo} orders by UTF-16 unit and differs
 * for characters above U+FFFF.
 */
final class CodePointOrder implements Comparator<String> {

    static final CodePointOrder INSTANCE = new CodePointOrder();

    private CodePointOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
