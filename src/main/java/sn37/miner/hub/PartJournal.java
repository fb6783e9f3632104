package sn37.miner.hub;

import java.util.Optional;

/**
 * Remembers multipart LFS uploads in progress, so that a later process finishes one where the earlier stopped
 * instead of sending every part again (huggingface_hub keeps nothing and starts the object over). The states hold
 * presigned upload URLs, which are capabilities: keep them private to the miner, out of logs and out of any
 * database, and drop them once the object is stored.
 */
public interface PartJournal {
    PartJournal NONE = new PartJournal() {
        @Override
        public Optional<MultipartState> find(String oid) {
            return Optional.empty();
        }

        @Override
        public void save(MultipartState state) {}

        @Override
        public void remove(String oid) {}
    };

    /** The upload of {@code oid} an earlier attempt began, if any. */
    Optional<MultipartState> find(String oid);

    /** Called when an upload begins and after every accepted part; must persist before returning. */
    void save(MultipartState state);

    /** The object is stored (or its saved upload is unusable). */
    void remove(String oid);
}
