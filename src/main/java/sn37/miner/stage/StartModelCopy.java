package sn37.miner.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import sn37.miner.model.CheckpointDir;
import sn37.miner.train.torch.JobDir;

/**
 * The start model inside the job directory, for jobs that run on machines that see only the job root: hard links
 * where the file system allows (no bytes copied), a copy otherwise. Made once per run, complete or absent.
 */
final class StartModelCopy {
    private StartModelCopy() {}

    static Path into(JobDir job, Path startModel) throws IOException {
        Path target = job.dir().resolve(JobDir.START_MODEL);
        if (Files.isRegularFile(target.resolve(CheckpointDir.CONFIG))) return target;
        Path partial = job.dir().resolve(JobDir.START_MODEL + ".partial");
        if (Files.exists(partial)) {
            try (var files = Files.list(partial)) {
                for (Path f : files.toList()) Files.delete(f);
            }
        }
        Files.createDirectories(partial);
        List<Path> files;
        try (var list = Files.list(startModel)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path to = partial.resolve(file.getFileName());
            try {
                Files.createLink(to, file);
            } catch (IOException | UnsupportedOperationException crossDevice) {
                Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
