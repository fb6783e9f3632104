package sn37.miner.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes files and directories so that they are either complete or absent: content goes to a
 * hidden sibling, is fsynced, and is renamed into place.
 */
final class AtomicFiles {

    interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    interface DirectoryWriter {
        void write(Path directory) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    static void writeFile(Path target, ChannelWriter content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve("." + absolute.getFileName() + "." + suffix() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.write(channel);
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        syncDirectory(parent);
    }

    /**
     * Fills a fresh hidden sibling directory, then renames it to {@code target}. An existing
     * target is renamed aside first and deleted after, so a crash leaves the old directory, the
     * new one, or none, never a mix. Hidden leftovers of an earlier crashed write to the same
     * target are removed first: one writer per target is assumed.
     */
    static void replaceDirectory(Path target, DirectoryWriter content) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        String partialPrefix = "." + absolute.getFileName() + ".partial-";
        String oldPrefix = "." + absolute.getFileName() + ".old-";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
            for (Path sibling : siblings) {
                String name = sibling.getFileName().toString();
                if (name.startsWith(partialPrefix) || name.startsWith(oldPrefix)) {
                    deleteTree(sibling);
                }
            }
        }
        Path partial = Files.createDirectory(parent.resolve(partialPrefix + suffix()));
        try {
            content.write(partial);
            syncDirectory(partial);
            if (Files.exists(absolute)) {
                Path old = parent.resolve(oldPrefix + suffix());
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(parent);
                deleteTree(old);
            } else {
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(parent);
            }
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(partial);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    static void writeAllBytes(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Makes a rename durable. Opening a directory for reading and forcing it works on Linux;
     * elsewhere the JDK may refuse, and the rename is then as durable as the platform makes it.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException refused) {
            // Not supported on this platform; see above.
        }
    }

    private static String suffix() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteQuietly(Path path, Exception failure) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }
}
