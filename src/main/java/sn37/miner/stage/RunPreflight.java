package sn37.miner.stage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import sn37.miner.competition.CompetitionId;
import sn37.miner.config.ConfigException;
import sn37.miner.util.Echo;
import sn37.miner.config.Settings;
import sn37.miner.eval.torch.TorchLosses;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.llama.ComputeDevice;

/**
 * The checks of a run's parameters against this machine and this build, made before the run is queued so that a
 * bad flag fails at once instead of after hours of training: the competition is one evaluate and upload can score,
 * the device exists, the model directories and files are there and readable, the data file is a readable regular
 * file. For the API every path must also lie, symlinks resolved, under the configured data or models root, and a
 * file under a size cap; the CLI may name any path. Messages name the parameter and never show what a file holds.
 */
public final class RunPreflight {
    /** A config.json is a few kB; anything larger is not one. */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    private final Path dataRoot;
    private final Path modelsRoot;
    private final long maxDataBytes;
    private final Consumer<String> devices;
    /** Where the PyTorch trainer is; null when not known (the CLI checks it once the configuration is loaded). */
    private final LaunchSettings launch;

    RunPreflight(Path dataRoot, Path modelsRoot, long maxDataBytes, Consumer<String> devices) {
        this(dataRoot, modelsRoot, maxDataBytes, devices, null);
    }

    RunPreflight(Path dataRoot, Path modelsRoot, long maxDataBytes, Consumer<String> devices, LaunchSettings launch) {
        this.dataRoot = dataRoot;
        this.modelsRoot = modelsRoot;
        this.maxDataBytes = maxDataBytes;
        this.devices = devices;
        this.launch = launch;
    }

    /** The CLI's checks: any path its user names. */
    public static RunPreflight cli() {
        return new RunPreflight(null, null, Long.MAX_VALUE, ComputeDevice::of);
    }

    /** The API's checks: paths under {@code pipeline.api.data-root} and {@code pipeline.api.models-root}. */
    public static RunPreflight api(Settings s) {
        String cap = s.get("pipeline.api.max-data-bytes");
        long max;
        try {
            max = Long.parseLong(cap);
            if (max < 1) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new ConfigException("pipeline.api.max-data-bytes must be a whole number of bytes >= 1 (got '" + cap
                    + "')");
        }
        return new RunPreflight(s.path("pipeline.api.data-root"), s.path("pipeline.api.models-root"), max,
                ComputeDevice::of, LaunchKeys.paths(s));
    }

    /**
     * The CLI's check of {@code --trainer torch} once the configuration is loaded: the trainer and its Python
     * environment are where {@code train.torch.*} say, when this machine is to start the job.
     */
    public static void trainer(String kind, RunParams p, Settings s) {
        if (stagesOf(kind).contains(StageNames.TRAIN)) trainer(p, LaunchKeys.paths(s));
        if (stagesOf(kind).contains(StageNames.EVALUATE)) evaluator(p, LaunchKeys.paths(s));
    }

    /** {@code --eval_backend torch} runs trainer/evaluate.py in the trainer's environment, on this machine. */
    private static void evaluator(RunParams p, LaunchSettings launch) {
        if (!p.evalBackend().equals(RunParams.TORCH)) return;
        TorchLosses.environmentProblem(launch.python(), launch.trainerDir()).ifPresent(problem -> {
            throw new InvalidParameterException("--eval_backend torch: " + problem);
        });
    }

    private static void trainer(RunParams p, LaunchSettings launch) {
        if (!p.trainer().equals(RunParams.TORCH) || !p.launcher().equals(RunParams.LOCAL)) return;
        TorchTrain.trainerProblem(launch).ifPresent(problem -> {
            throw new InvalidParameterException("--trainer torch: " + problem);
        });
    }

    /**
     * Throws an {@link InvalidParameterException} naming the first parameter this run cannot use.
     *
     * @param kind the run's kind: a pipeline, the publish run of the upload CLI, or one stage's name
     */
    public void check(String kind, RunParams p) {
        List<String> stages = stagesOf(kind);
        if (stages.contains(StageNames.EVALUATE) || stages.contains(StageNames.UPLOAD)) competition(p);
        if (p.device() != null && (stages.contains(StageNames.LOAD_MODEL) || stages.contains(StageNames.TRAIN)
                || stages.contains(StageNames.EVALUATE))) {
            device(p.device());
        }
        if (p.dataPath() != null && stages.contains(StageNames.FETCH_DATA)) {
            if (!p.dataSource().equals("jsonl")) {
                throw new InvalidParameterException("--data_path is for --data_source jsonl only; --data_source "
                        + p.dataSource() + " reads remote data (drop --data_path, or use --data_source jsonl)");
            }
            file("--data_path", p.dataPath(), dataRoot, "pipeline.api.data-root", maxDataBytes,
                    "pipeline.api.max-data-bytes");
        }
        if (launch != null && stages.contains(StageNames.TRAIN)) trainer(p, launch);
        if (launch != null && stages.contains(StageNames.EVALUATE)) evaluator(p, launch);
        if (p.loadModelDir() != null) directory("--load_model_dir", p.loadModelDir());
        if (p.incumbentDir() != null) directory("--incumbent_dir", p.incumbentDir());
        if (p.uploadDir() != null) directory("upload_dir (upload's --load_model_dir)", p.uploadDir());
        if (p.initConfig() != null && !bundled(p.initConfig())) {
            Path config = path("--init_config", p.initConfig(), modelsRoot, "pipeline.api.models-root");
            if (Files.isDirectory(config)) config = config.resolve(CheckpointDir.CONFIG);
            file("--init_config", config.toString(), modelsRoot, "pipeline.api.models-root", MAX_CONFIG_BYTES,
                    "a config.json's size");
        }
        if (p.modelDir() != null && modelsRoot != null) {
            // an output directory: it may not exist yet, but it must not lead outside the root
            underRoot("--model_dir", realExistingPart(Path.of(p.modelDir()).toAbsolutePath()), modelsRoot,
                    "pipeline.api.models-root");
        }
    }

    private static List<String> stagesOf(String kind) {
        if (kind.equals(sn37.miner.run.Run.PIPELINE)) return StageNames.ORDER;
        if (kind.equals("publish")) return StageNames.PUBLISH;
        return List.of(kind);
    }

    /** Evaluate scores, and upload checks the model against, the competition in force at its schedule's block. */
    private static void competition(RunParams p) {
        Evaluate.ScoringSettings options = Evaluate.ScoringSettings.defaults();
        CompetitionId id = CompetitionId.fromId(p.competitionId());
        if (options.competition(id).isEmpty()) {
            throw new InvalidParameterException("--competition_id " + p.competitionId() + " (" + id + ") is not live at"
                    + " block " + options.effectiveBlock() + " of the " + options.schedule() + " schedule this build"
                    + " evaluates and uploads for: live there: " + options.liveIds()
                    + " (see 'bin/miner competitions --schedule " + options.schedule() + "')");
        }
    }

    private void device(String spec) {
        try {
            devices.accept(spec);
        } catch (InvalidParameterException | ComputeDevice.UnsupportedDeviceException e) {
            throw new InvalidParameterException(e.getMessage());
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new InvalidParameterException("--device " + spec + ": the PyTorch engine cannot start here ("
                    + e.getClass().getSimpleName() + "); use --device cpu");
        }
    }

    private void directory(String flag, String value) {
        Path dir = path(flag, value, modelsRoot, "pipeline.api.models-root");
        if (!Files.isDirectory(dir)) throw new InvalidParameterException(flag + " " + Echo.quoted(value) + " is not a directory");
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new InvalidParameterException(flag + " " + Echo.quoted(value) + " is not readable by this process");
        }
    }

    private void file(String flag, String value, Path root, String rootKey, long maxBytes, String limit) {
        Path file = path(flag, value, root, rootKey);
        if (!Files.isRegularFile(file)) {
            throw new InvalidParameterException(flag + " " + Echo.quoted(value) + " is not a regular file"
                    + (Files.isDirectory(file) ? " (it is a directory)" : ""));
        }
        if (!Files.isReadable(file)) throw new InvalidParameterException(flag + " " + Echo.quoted(value) + " is not readable by this process");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidParameterException(flag + " " + Echo.quoted(value) + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (size > maxBytes) {
            throw new InvalidParameterException(flag + " " + Echo.quoted(value) + " is " + size + " bytes, over the"
                    + " limit of " + maxBytes + " bytes (" + limit + ")");
        }
    }

    /** The path as it really is (links and '..' resolved), which must exist and, with a root, lie under it. */
    private static Path path(String flag, String value, Path root, String rootKey) {
        Path real;
        try {
            real = Path.of(value).toAbsolutePath().toRealPath();
        } catch (IOException | java.nio.file.InvalidPathException | SecurityException e) {
            // with a root, a missing path outside it must not be told apart from one that exists
            if (root != null && !under(realExistingPart(Path.of(value).toAbsolutePath()), root)) {
                throw outside(flag, root, rootKey);
            }
            throw new InvalidParameterException(flag + " " + Echo.quoted(value) + " does not exist");
        }
        underRoot(flag, real, root, rootKey);
        return real;
    }

    private static void underRoot(String flag, Path real, Path root, String rootKey) {
        if (root != null && !under(real, root)) throw outside(flag, root, rootKey);
    }

    private static InvalidParameterException outside(String flag, Path root, String rootKey) {
        return new InvalidParameterException(flag + " must lie under " + root + " (" + rootKey + "); links and '..'"
                + " are resolved first");
    }

    private static boolean under(Path real, Path root) {
        Path r = realExistingPart(root.toAbsolutePath().normalize());
        return real.startsWith(r);
    }

    /**
     * The real path of the longest existing prefix, with the rest appended: where a new file would really go. The
     * path is not normalised first: {@code link/..} must go where the link leads, not vanish.
     */
    private static Path realExistingPart(Path absolute) {
        Path existing = absolute;
        Path rest = null;
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                return rest == null ? real : real.resolve(rest).normalize();
            } catch (IOException | SecurityException e) {
                Path name = existing.getFileName();
                rest = name == null ? rest : (rest == null ? name : name.resolve(rest));
                existing = existing.getParent();
            }
        }
        return absolute;
    }

    /** A bundled config name (models/NAME/config.json in the jar) that no file in the working directory shadows. */
    private static boolean bundled(String value) {
        if (!value.matches("[\\w.-]+") || Files.exists(Path.of(value))) return false;
        try (InputStream in = RunPreflight.class.getResourceAsStream("/models/" + value + "/config.json")) {
            return in != null;
        } catch (IOException e) {
            return false;
        }
    }
}
