package sn37.miner.data;

/** Why a source row was not kept. The label is the key in {@link SampleLoad#droppedByReason()}. */
public enum DropReason {
    MALFORMED_JSON("malformed JSON"),
    NOT_AN_OBJECT("not a JSON object"),
    NOT_MULTI_CHOICE("task not multi_choice"),
    MISSING_CHALLENGE("missing challenge"),
    CHALLENGE_NOT_STRING("challenge not a string"),
    BLANK_CHALLENGE("blank challenge"),
    BAD_REFERENCE("reference not one of A-D"),
    DUPLICATE("duplicate (challenge, reference)");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
