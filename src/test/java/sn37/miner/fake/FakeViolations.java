package sn37.miner.fake;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fakes of remote services started in this JVM, for the one shared check of their {@code violations()}:
 * {@link FakeViolationsCheck} asks after every test (and after every test class, for violations outside a test)
 * for the violations each fake has recorded since it was last asked. Each fake enrols itself when started.
 */
public final class FakeViolations {
    private static final Map<Object, Watched> WATCHED = new IdentityHashMap<>();
    /** Order of enrolment, so that a test's own fakes can be forgotten after it. */
    private static final List<Object> ORDER = new ArrayList<>();

    private record Watched(String name, Supplier<List<String>> violations, int[] reported) {}

    private FakeViolations() {}

    /** Enrols {@code fake}, whose {@code violations()} is cumulative; returns it. */
    static synchronized <T> T watch(T fake, Supplier<List<String>> violations) {
        WATCHED.put(fake, new Watched(fake.getClass().getSimpleName(), violations, new int[1]));
        ORDER.add(fake);
        return fake;
    }

    /** How many fakes are enrolled: a mark to {@link #forgetAfter} when a scope ends. */
    static synchronized int mark() {
        return ORDER.size();
    }

    /** The violations recorded since the last call, each prefixed with its fake's name. */
    static synchronized List<String> takeNew() {
        List<String> out = new ArrayList<>();
        for (Object fake : ORDER) {
            Watched w = WATCHED.get(fake);
            List<String> all = w.violations().get();
            for (int i = w.reported()[0]; i < all.size(); i++) out.add(w.name() + ": " + all.get(i));
            w.reported()[0] = all.size();
        }
        return out;
    }

    /** Stops watching the fakes enrolled after {@code mark} (their scope, a test or a class, has ended). */
    static synchronized void forgetAfter(int mark) {
        while (ORDER.size() > mark) WATCHED.remove(ORDER.remove(ORDER.size() - 1));
    }
}
