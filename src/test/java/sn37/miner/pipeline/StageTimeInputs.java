package sn37.miner.pipeline;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.chain.Data;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.metadata.ModelId;
import sn37.miner.model.Dtype;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.llama.TinyConfigs;
import sn37.miner.stage.LoadModel;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageServices;

/**
 * Inputs the API accepts (they may name a usable file) but the stage must refuse, each with a text the run's
 * error must contain: broken model directories, bad data files, and chain metadata that names no usable model.
 * The real load-model stage reads the fake Hub and the fake chain (network "local").
 */
final class StageTimeInputs implements AutoCloseable {
    private static final String TOKEN = "hf_readtoken";

    /** A request that gets 202 and a run that must end FAILED at {@code stage} with {@code error} in its message. */
    record Case(String name, String stage, String body, String error) {}

    final FakeHub hub;
    final FakeSubtensor node;
    private final Path dir;

    private StageTimeInputs(Path dir, FakeHub hub, FakeSubtensor node) {
        this.dir = dir;
        this.hub = hub;
        this.node = node;
    }

    static StageTimeInputs start(Path dir) throws IOException {
        return new StageTimeInputs(dir, FakeHub.start("hf_writetoken", TOKEN),
                FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000));
    }

    Stage loadModel() {
        Endpoints e = new Endpoints(hub.endpoint(), "http://127.0.0.1:9",
                Map.of("finney", "ws://127.0.0.1:9", "test", "ws://127.0.0.1:9", "local", node.endpoint()));
        StageServices services = new StageServices(new Secrets(Optional.of(Secret.of(TOKEN)), Optional.empty(),
                Optional.empty()), e, dir, Clock.systemUTC());
        return new LoadModel(services, ChainTestKit.fast());
    }

    /** Missing paths, a file for a directory and paths outside the roots are refused before queueing (RunPreflightApiTest). */
    List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        Path good = tinyModel(dir.resolve("good"));
        Path weights = good.resolve("model.safetensors");
        long size = Files.size(weights);
        for (long keep : new long[] {0, 7, 100, size / 2, size - 1}) {
            Path m = copy(good, "truncated-" + keep);
            truncate(m.resolve("model.safetensors"), keep);
            out.add(model("model.safetensors truncated to " + keep + " bytes", m, 2, "model.safetensors"));
        }
        Map<String, String> configs = Map.of(
                "garbage", "not json {",
                "empty object", "{}",
                "array", "[1, 2]",
                "wrong types", "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": \"big\"}",
                "unknown architecture", "{\"architectures\": [\"NopeForCausalLM\"], \"model_type\": \"nope\"}");
        for (Map.Entry<String, String> c : configs.entrySet()) {
            Path m = copy(good, "config-" + c.getKey().replace(' ', '-'));
            Files.writeString(m.resolve("config.json"), c.getValue());
            out.add(model("config.json " + c.getKey(), m, 2, "config.json"));
        }
        Map<String, String> tokenizers = Map.of(
                "garbage", "garbage",
                "empty object", "{}",
                "not a tokenizer", "{\"model\": {\"type\": \"Nope\"}}");
        for (Map.Entry<String, String> t : tokenizers.entrySet()) {
            Path m = copy(good, "tokenizer-" + t.getKey().replace(' ', '-'));
            Files.writeString(m.resolve("tokenizer.json"), t.getValue());
            Files.writeString(m.resolve("tokenizer_config.json"), "{}");
            // competition 3 evaluates with the repo's own tokenizer, so the stage must read this one
            out.add(model("tokenizer.json " + t.getKey(), m, 3, "tokenizer.json"));
        }
        Path empty = Files.createDirectories(dir.resolve("empty-dir"));
        out.add(model("empty directory", empty, 2, "config.json"));

        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("binary.jsonl"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        Files.writeString(data.resolve("empty.jsonl"), "");
        Files.writeString(data.resolve("wrong-rows.jsonl"), "{\"a\": 1}\n[1]\n\"x\"\n");
        out.add(fetch("data_path binary", data.resolve("binary.jsonl").toString(), "binary.jsonl"));
        out.add(fetch("data_path empty", data.resolve("empty.jsonl").toString(), "empty.jsonl"));
        out.add(fetch("data_path wrong rows", data.resolve("wrong-rows.jsonl").toString(), "wrong-rows.jsonl"));

        Files.writeString(data.resolve("garbage-config.json"), "not json {");
        out.add(new Case("init_config garbage file", "load-model", "{\"init_config\": \""
                + data.resolve("garbage-config.json") + "\"}", "garbage-config.json"));

        byte[] garbage = ChainTestKit.key(5).publicKey();
        node.registerNeuron(37, 5, garbage);
        node.setCommitment(37, garbage, 19_000, Data.raw("this is not a model id"));
        out.add(uid("commitment that is not a ModelId", 5,
                "--load_uid 5: no committed model for that uid (its commitment is not model metadata: 'this is not"));
        byte[] absent = ChainTestKit.key(6).publicKey();
        node.registerNeuron(37, 6, absent);
        node.setCommitment(37, absent, 19_000, Data.raw(new ModelId(FakeHub.USER, "absent", "0".repeat(40), null,
                "SxoJYSI5vJoZA9IzwMunOz+UiaRmYU5FlI75LLSxPYs=", 2).toCompressedString()));
        out.add(uid("ModelId naming a repo the Hub does not have", 6, "--load_uid 6: uid 6 committed " + FakeHub.USER
                + ":absent:" + "0".repeat(40)));
        byte[] unscheduled = ChainTestKit.key(9).publicKey();
        node.registerNeuron(37, 9, unscheduled);
        node.setCommitment(37, unscheduled, 19_000, Data.raw(new ModelId(FakeHub.USER, "m", "0".repeat(40), null,
                "SxoJYSI5vJoZA9IzwMunOz+UiaRmYU5FlI75LLSxPYs=", 0).toCompressedString()));
        out.add(uid("ModelId of a competition no schedule runs", 9, "no competition schedule runs competition 0"));
        byte[] scale = ChainTestKit.key(7).publicKey();
        node.registerNeuron(37, 7, scale);
        node.setCommitmentBytes(37, scale, new byte[] {1, 2, 3});
        out.add(uid("commitment bytes that are not a registration", 7, "--load_uid 7: no committed model for that uid"
                + " (its commitment is not Raw UTF-8 text"));
        node.registerNeuron(37, 8, ChainTestKit.key(8).publicKey());
        out.add(uid("uid without commitment", 8, "--load_uid 8: no committed model for that uid (it has committed nothing)"));
        out.add(uid("uid not registered", 77, "--load_uid 77: no committed model for that uid (it is not registered)"));
        return out;
    }

    private static Case model(String name, Path dir, int competition, String error) {
        return new Case(name, "load-model", "{\"load_model_dir\": \"" + dir + "\", \"competition_id\": " + competition
                + "}", error);
    }

    private static Case fetch(String name, String path, String error) {
        return new Case(name, "fetch-data", "{\"data_path\": \"" + path + "\"}", error);
    }

    private static Case uid(String name, int uid, String error) {
        return new Case(name, "load-model", "{\"load_uid\": " + uid + ", \"subtensor_network\": \"local\"}", error);
    }

    private static Path tinyModel(Path dir) throws IOException {
        try (LlamaModel tiny = LlamaWeights.initialize(TinyConfigs.llamaConfig(Map.of()), 1, Device.cpu())) {
            LlamaWeights.save(tiny, dir, Dtype.BF16, null);
        }
        return dir;
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (var ch = Files.newByteChannel(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @Override
    public void close() {
        hub.close();
        node.close();
    }
}
