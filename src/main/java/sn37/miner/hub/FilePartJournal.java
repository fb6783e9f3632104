package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A {@link PartJournal} of one JSON file per object, {@code <dir>/<oid>.json}, replaced atomically on every save and
 * readable by the owner only (the presigned URLs in it grant uploads until they expire).
 */
public final class FilePartJournal implements PartJournal {
    private static final Pattern OID = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;

    public FilePartJournal(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized Optional<MultipartState> find(String oid) {
        Path file = file(oid);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = HubJson.MAPPER.readTree(file.toFile());
            List<String> urls = new ArrayList<>();
            node.path("partUrls").forEach(u -> urls.add(u.asText()));
            Map<Integer, String> etags = new TreeMap<>();
            node.path("etags").fields().forEachRemaining(e -> etags.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
            return Optional.of(new MultipartState(node.path("oid").asText(), node.path("size").asLong(),
                    node.path("chunkSize").asLong(), node.path("completionHref").asText(), urls, etags));
        } catch (IOException | RuntimeException e) {
            // A torn or foreign file only costs a fresh upload of this object.
            return Optional.empty();
        }
    }

    @Override
    public synchronized void save(MultipartState state) {
        ObjectNode node = HubJson.object().put("oid", state.oid()).put("size", state.size())
                .put("chunkSize", state.chunkSize()).put("completionHref", state.completionHref());
        state.partUrls().forEach(node.putArray("partUrls")::add);
        ObjectNode etags = node.putObject("etags");
        state.etags().forEach((part, etag) -> etags.put(String.valueOf(part), etag));
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(state.oid() + ".json.tmp");
            Files.write(tmp, HubJson.MAPPER.writeValueAsBytes(node));
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            try {
                Files.move(tmp, file(state.oid()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(state.oid()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the part journal in " + dir + ": " + e.getMessage()
                    + ". Check that the directory is writable.", e);
        }
    }

    @Override
    public synchronized void remove(String oid) {
        try {
            Files.deleteIfExists(file(oid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(oid) + ": " + e.getMessage(), e);
        }
    }

    private Path file(String oid) {
        if (!OID.matcher(oid).matches()) {
            throw new IllegalArgumentException("not an LFS oid (64 hex digits): " + oid);
        }
        return dir.resolve(oid + ".json");
    }
}
