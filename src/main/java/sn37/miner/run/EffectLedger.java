package sn37.miner.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import sn37.miner.util.Json;

/**
 * The at-most-once ledger of one stage's remote side effects (a Hub commit, a chain commitment): intend → send →
 * confirm, and before anything is sent, {@link #reconcile} settles with the remote every effect an earlier attempt
 * left INTENDED, so that a lost answer or a process death between the call and its record never leads to a second
 * send. A stage names the {@link Kind} of its effect, asks {@link #reconcile} first, adopts a CONFIRMED entry that
 * already does what it wants, and otherwise calls {@link #send}.
 *
 * <p>Requests and answers are the kind's records, stored as JSON; they are read as stored records are (a field an
 * older version did not write reads as null, 0 or false), so rows written before a field was added still settle.
 */
public final class EffectLedger implements EffectRecords {
    /** One kind of effect: the prefix of its keys, and the records its request and its answer are stored as. */
    public record Kind<Q, A>(String keyPrefix, Class<Q> request, Class<A> answer) {}

    /** A recorded effect of one kind, read back; {@code answer} is null unless it is CONFIRMED. */
    public record Entry<Q, A>(String key, EffectStatus status, Q request, A answer) {}

    /** Asks the remote what became of an INTENDED effect. */
    @FunctionalInterface
    public interface Remote<Q, A> {
        /**
         * The answer, when the effect took place; empty when it surely did not and never will, so that it may be
         * sent again. Throws when the remote cannot tell yet: then nothing new may be sent.
         */
        Optional<A> landed(Q request) throws IOException;
    }

    /** The remote call itself. */
    @FunctionalInterface
    public interface Call<R> {
        R send() throws IOException;
    }

    private final EffectRecords records;

    public EffectLedger(EffectRecords records) {
        this.records = records;
    }

    /** The effects of {@code kind} of this stage, oldest first. */
    public <Q, A> List<Entry<Q, A>> entries(Kind<Q, A> kind) {
        List<Entry<Q, A>> entries = new ArrayList<>();
        for (ExternalEffect e : records.ofStage()) {
            if (e.effectKey().startsWith(kind.keyPrefix())) {
                A answer = e.status() == EffectStatus.CONFIRMED ? read(e, "answer", e.responseJson(), kind.answer()) : null;
                entries.add(new Entry<>(e.effectKey(), e.status(), read(e, "request", e.requestJson(), kind.request()),
                        answer));
            }
        }
        return entries;
    }

    /**
     * Settles every INTENDED effect of {@code kind}: CONFIRMED with the remote's answer when it took place, ABSENT
     * when it surely did not. Returns the effects of the kind afterwards, oldest first.
     */
    public <Q, A> List<Entry<Q, A>> reconcile(Kind<Q, A> kind, Remote<Q, A> remote) throws IOException {
        for (Entry<Q, A> e : entries(kind)) {
            if (e.status() == EffectStatus.INTENDED) {
                Optional<A> landed = remote.landed(e.request());
                if (landed.isPresent()) {
                    records.confirm(e.key(), write(landed.get()));
                } else {
                    records.markAbsent(e.key());
                }
            }
        }
        return entries(kind);
    }

    /**
     * Records {@code request} INTENDED under {@code key}, makes the call and records its answer CONFIRMED. When the
     * call throws, the effect stays INTENDED: the remote may have it, and the next {@link #reconcile} finds out.
     */
    public <Q, A, R> R send(Kind<Q, A> kind, String key, Q request, Call<R> call, Function<R, A> answer)
            throws IOException {
        if (!key.startsWith(kind.keyPrefix()) || !kind.request().isInstance(request)) {
            throw new IllegalArgumentException("effect " + key + " is not of the kind " + kind);
        }
        records.intend(key, write(request));
        R result = call.send();
        records.confirm(key, write(answer.apply(result)));
        return result;
    }

    @Override
    public ExternalEffect intend(String effectKey, String requestJson) {
        return records.intend(effectKey, requestJson);
    }

    @Override
    public void confirm(String effectKey, String responseJson) {
        records.confirm(effectKey, responseJson);
    }

    /** Also for an effect the remote refused outright: it surely did not take place. */
    @Override
    public void markAbsent(String effectKey) {
        records.markAbsent(effectKey);
    }

    @Override
    public Optional<ExternalEffect> find(String effectKey) {
        return records.find(effectKey);
    }

    @Override
    public List<ExternalEffect> ofStage() {
        return records.ofStage();
    }

    private static <T> T read(ExternalEffect e, String what, String json, Class<T> type) {
        try {
            T value = Json.recordReader(type).readValue(json == null ? "null" : json);
            if (value == null) {
                throw new RunStoreException("the recorded " + what + " of effect " + e.effectKey() + " (run "
                        + e.runId() + ", stage " + e.stage() + ") is empty; expected a " + type.getSimpleName(), null);
            }
            return value;
        } catch (JsonProcessingException x) {
            JsonLocation at = x.getLocation();
            throw new RunStoreException("the recorded " + what + " of effect " + e.effectKey() + " (run " + e.runId()
                    + ", stage " + e.stage() + ") does not read as a " + type.getSimpleName()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), x);
        }
    }

    private static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
