package sn37.miner.eval;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPython's {@code random.Random} (Mersenne Twister MT19937, {@code Modules/_randommodule.c} and
 * {@code Lib/random.py}, unchanged from 3.10 to 3.12) for the calls the word-sorting and IFEval loaders make:
 * {@code seed(int)}, {@code getrandbits(k)}, {@code randint(a, b)}, {@code sample(population, k)}, {@code choice(seq)}
 * and {@code shuffle(x)}. Same seed, same draws.
 */
public final class PythonRandom {

    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int index;

    /** {@code random.seed(seed)}: the key is |seed| as little-endian 32-bit words ({@code random_seed}). */
    public PythonRandom(BigInteger seed) {
        BigInteger n = seed.abs();
        int words = Math.max(1, (n.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) key[i] = n.shiftRight(32 * i).intValue();
        initByArray(key);
    }

    public PythonRandom(long seed) {
        this(BigInteger.valueOf(seed));
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    /** {@code genrand_uint32}, as an unsigned value in a long. */
    long nextUint32() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFFFFFFL;
    }

    /** {@code getrandbits(k)} for 0 ≤ k ≤ 32. */
    public long getrandbits(int k) {
        if (k < 0 || k > 32) throw new IllegalArgumentException("k must be in [0, 32], got " + k);
        return k == 0 ? 0 : nextUint32() >>> (32 - k);
    }

    /** {@code _randbelow_with_getrandbits(n)}: uniform in [0, n) by rejection. */
    int randbelow(int n) {
        if (n <= 0) return 0;
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) r = getrandbits(k);
        return (int) r;
    }

    /** {@code randint(a, b)}: uniform in [a, b]. */
    public int randint(int a, int b) {
        if (b < a) throw new IllegalArgumentException("empty range for randint(" + a + ", " + b + ")");
        return a + randbelow(b - a + 1);
    }

    /** {@code sample(population, k)}: k distinct elements in selection order, by Python's two strategies. */
    public <T> List<T> sample(List<T> population, int k) {
        int n = population.size();
        if (k < 0 || k > n) throw new IllegalArgumentException("sample larger than population or is negative");
        List<T> result = new ArrayList<>(k);
        int setsize = 21;
        if (k > 5) setsize += (int) Math.pow(4, Math.ceil(Math.log(k * 3) / Math.log(4)));
        if (n <= setsize) {
            List<T> pool = new ArrayList<>(population);
            for (int i = 0; i < k; i++) {
                int j = randbelow(n - i);
                result.add(pool.get(j));
                pool.set(j, pool.get(n - i - 1));
            }
        } else {
            Set<Integer> selected = new HashSet<>();
            for (int i = 0; i < k; i++) {
                int j = randbelow(n);
                while (selected.contains(j)) j = randbelow(n);
                selected.add(j);
                result.add(population.get(j));
            }
        }
        return result;
    }

    /** {@code choice(seq)}: {@code seq[_randbelow(len(seq))]}. */
    public <T> T choice(List<T> seq) {
        if (seq.isEmpty()) throw new IllegalArgumentException("cannot choose from an empty sequence");
        return seq.get(randbelow(seq.size()));
    }

    /** {@code shuffle(x)} in place: Fisher-Yates from the end, {@code j = _randbelow(i + 1)}. */
    public <T> void shuffle(List<T> x) {
        for (int i = x.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            T t = x.get(i);
            x.set(i, x.get(j));
            x.set(j, t);
        }
    }
}
