package sn37.miner.hub;

import java.nio.file.Path;
import java.util.Objects;

/** One change in a commit: add (or replace) a file from disk, or delete a file. */
public sealed interface CommitOperation {
    String pathInRepo();

    record Add(String pathInRepo, Path localFile) implements CommitOperation {
        public Add {
            pathInRepo = RepoPaths.check(pathInRepo);
            Objects.requireNonNull(localFile, "localFile");
        }
    }

    record Delete(String pathInRepo) implements CommitOperation {
        public Delete {
            pathInRepo = RepoPaths.check(pathInRepo);
        }
    }
}
