package sn37.miner.fake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when a fake remote service it used recorded a protocol violation: applied to every test class
 * (registered for JUnit's extension auto-detection in src/test/resources), so no test has to remember to ask.
 * A test that provokes violations on purpose names them with {@link ExpectedFakeViolations}; each named one must
 * then occur, and no other may.
 */
public final class FakeViolationsCheck implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final Deque<Integer> marks = new ArrayDeque<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        FakeViolations.takeNew(); // left over from a class that ended without this check: not this class's
        marks.push(FakeViolations.mark());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        marks.push(FakeViolations.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            List<String> required = annotated(context);
            List<String> allowed = new ArrayList<>(required);
            context.getParent().ifPresent(c -> allowed.addAll(annotatedUp(c)));
            check(FakeViolations.takeNew(), required, allowed, context.getDisplayName());
        } finally {
            FakeViolations.forgetAfter(marks.pop());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            check(FakeViolations.takeNew(), List.of(), annotatedUp(context), context.getDisplayName() + " (outside its tests)");
        } finally {
            FakeViolations.forgetAfter(marks.pop());
        }
    }

    private static List<String> annotated(ExtensionContext context) {
        return context.getElement().map(e -> e.getAnnotation(ExpectedFakeViolations.class))
                .map(a -> Arrays.asList(a.value())).orElse(List.of());
    }

    /** On a class, the annotation allows the violations in each of its tests without requiring them in each. */
    private static List<String> annotatedUp(ExtensionContext context) {
        List<String> out = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            out.addAll(annotated(c.get()));
        }
        return out;
    }

    static void check(List<String> seen, List<String> required, List<String> allowed, String where) {
        List<String> unexpected = seen.stream().filter(v -> allowed.stream().noneMatch(v::contains)).toList();
        List<String> missing = required.stream().filter(x -> seen.stream().noneMatch(v -> v.contains(x))).toList();
        if (!unexpected.isEmpty()) {
            throw new AssertionError(where + ": a fake remote service saw protocol violations: " + unexpected);
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(where + ": expected fake violations did not occur: " + missing + " (seen: " + seen + ")");
        }
    }
}
