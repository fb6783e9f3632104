package sn37.miner.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The H2 file database that holds run state, migrated by Flyway from {@code db/migration}.
 *
 * <p>One process owns the file at a time (H2's file lock). A second process gets a clear error that says so.
 */
public final class RunDatabase implements AutoCloseable {
    private final Path file;
    private final JdbcConnectionPool pool;

    private RunDatabase(Path file, JdbcConnectionPool pool) {
        this.file = file;
        this.pool = pool;
    }

    /**
     * Opens (creating if absent) the database at {@code basePath} ({@code data/pipeline} gives
     * {@code data/pipeline.mv.db}) and applies pending migrations.
     */
    public static RunDatabase open(Path basePath) {
        Path base = basePath.toAbsolutePath().normalize();
        Path file = base.resolveSibling(base.getFileName() + ".mv.db");
        try {
            Files.createDirectories(base.getParent());
        } catch (Exception e) {
            throw new RunStoreException("cannot create the directory for the run database " + file + ": " + e.getMessage(), e);
        }
        if (Files.exists(file) && !Files.isReadable(file)) {
            throw new RunStoreException("run database " + file + " is not readable: fix its permissions or point pipeline.db.path elsewhere", null);
        }
        // FILE_LOCK=FS: H2 also locks across processes, and a stale lock of a dead process is detected.
        // WRITE_DELAY=0: every commit reaches the file before it returns; with H2's default (500 ms) a SIGKILL
        // loses the last half second of committed run state, e.g. a stage recorded SUCCEEDED or an INTENDED effect.
        String url = "jdbc:h2:file:" + base + ";FILE_LOCK=FS;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "miner", "");
        pool.setMaxConnections(16);
        try (Connection c = pool.getConnection()) {
            c.isValid(1);
        } catch (SQLException e) {
            pool.dispose();
            throw new RunStoreException(describeOpenFailure(file, e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.dispose();
            throw new RunStoreException("cannot migrate the run database " + file + ": " + e.getMessage(), e);
        }
        return new RunDatabase(file, pool);
    }

    static String describeOpenFailure(Path file, SQLException e) {
        return switch (e.getErrorCode()) {
            case ErrorCode.DATABASE_ALREADY_OPEN_1 ->
                    "run database " + file + " is locked by another process (is a miner server already running?):"
                            + " stop it, or use its REST API, or set pipeline.db.path to another file";
            case ErrorCode.FILE_CORRUPTED_1, ErrorCode.FILE_VERSION_ERROR_1, ErrorCode.IO_EXCEPTION_1,
                    ErrorCode.IO_EXCEPTION_2, ErrorCode.FILE_NOT_FOUND_1 ->
                    "run database " + file + " cannot be read (" + firstLine(e.getMessage())
                            + "): restore it from a backup or set pipeline.db.path to a new file";
            default -> "cannot open run database " + file + ": " + firstLine(e.getMessage());
        };
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // already closed
        }
        pool.dispose();
    }
}
