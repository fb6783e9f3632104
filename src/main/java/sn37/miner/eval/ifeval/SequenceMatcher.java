package sn37.miner.eval.ifeval;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Python's {@code difflib.SequenceMatcher(isjunk, a, b).ratio()} on the code points of two strings, with the
 * default {@code autojunk=True}: when {@code b} has 200 or more elements, an element occurring more than
 * {@code len(b) // 100 + 1} times is "popular" and, like junk, never starts a match (though, unlike junk, it is not
 * absorbed at a match's edges). The ratio is {@code 2 * M / (len(a) + len(b))} with M the total size of the
 * matching blocks, which are found recursively as the longest block free of junk, extended by junk-equal
 * neighbours, then the same on either side of it.
 */
public final class SequenceMatcher {

    private final int[] a;
    private final int[] b;
    /** For each element of b that is neither junk nor popular, its indices in b, ascending. */
    private final Map<Integer, int[]> b2j = new HashMap<>();
    private final Set<Integer> junk = new HashSet<>();

    public SequenceMatcher(IntPredicate isJunk, String a, String b) {
        this.a = a.codePoints().toArray();
        this.b = b.codePoints().toArray();
        Map<Integer, int[]> counts = new HashMap<>();
        for (int x : this.b) counts.computeIfAbsent(x, k -> new int[1])[0]++;
        int n = this.b.length;
        int ntest = n / 100 + 1;
        for (Map.Entry<Integer, int[]> e : counts.entrySet()) {
            int x = e.getKey();
            if (isJunk != null && isJunk.test(x)) {
                junk.add(x);
            } else if (!(n >= 200 && e.getValue()[0] > ntest)) {
                b2j.put(x, new int[e.getValue()[0]]);
            }
        }
        Map<Integer, Integer> filled = new HashMap<>();
        for (int j = 0; j < n; j++) {
            int[] indices = b2j.get(this.b[j]);
            if (indices != null) indices[filled.merge(this.b[j], 1, Integer::sum) - 1] = j;
        }
    }

    /** The similarity in [0, 1]; 1 when both strings are empty. */
    public double ratio() {
        int matches = 0;
        Deque<int[]> queue = new ArrayDeque<>();
        queue.push(new int[] {0, a.length, 0, b.length});
        while (!queue.isEmpty()) {
            int[] q = queue.pop();
            int alo = q[0], ahi = q[1], blo = q[2], bhi = q[3];
            int[] m = longestMatch(alo, ahi, blo, bhi);
            int i = m[0], j = m[1], k = m[2];
            if (k == 0) continue;
            matches += k;
            if (alo < i && blo < j) queue.push(new int[] {alo, i, blo, j});
            if (i + k < ahi && j + k < bhi) queue.push(new int[] {i + k, ahi, j + k, bhi});
        }
        int length = a.length + b.length;
        return length == 0 ? 1.0 : 2.0 * matches / length;
    }

    /**
     * {@code find_longest_match}: the longest junk-free block a[i:i+k] == b[j:j+k] in the ranges, earliest in a
     * and then in b on ties, then widened by equal non-junk and then equal junk elements on both sides.
     */
    private int[] longestMatch(int alo, int ahi, int blo, int bhi) {
        int besti = alo, bestj = blo, bestsize = 0;
        // lengths of the matches ending at a[i-1] / b[j], keyed by j
        Map<Integer, Integer> prev = new HashMap<>();
        for (int i = alo; i < ahi; i++) {
            Map<Integer, Integer> next = new HashMap<>();
            int[] js = b2j.get(a[i]);
            if (js != null) {
                for (int j : js) {
                    if (j < blo) continue;
                    if (j >= bhi) break;
                    int k = prev.getOrDefault(j - 1, 0) + 1;
                    next.put(j, k);
                    if (k > bestsize) {
                        besti = i - k + 1;
                        bestj = j - k + 1;
                        bestsize = k;
                    }
                }
            }
            prev = next;
        }
        for (boolean junkPass : new boolean[] {false, true}) {
            while (besti > alo && bestj > blo && junk.contains(b[bestj - 1]) == junkPass
                    && a[besti - 1] == b[bestj - 1]) {
                besti--;
                bestj--;
                bestsize++;
            }
            while (besti + bestsize < ahi && bestj + bestsize < bhi && junk.contains(b[bestj + bestsize]) == junkPass
                    && a[besti + bestsize] == b[bestj + bestsize]) {
                bestsize++;
            }
        }
        return new int[] {besti, bestj, bestsize};
    }
}
