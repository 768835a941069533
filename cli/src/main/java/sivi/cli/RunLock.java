package sivi.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time in a run directory: an operating-system lock on {@code DIR/.lock}, which
 * holds the holder's pid for the message. The OS drops the lock when its process dies (even by
 * SIGKILL), so a stale lock file never blocks the next run. Taking it also proves, before any
 * work, that the directory can be created and written.
 */
final class RunLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) { this.file = file; this.channel = channel; this.lock = lock; }

    static RunLock acquire(Path dir) {
        Path file = dir.resolve(".lock");
        FileChannel ch = null;
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) throw new Main.UserFailure("cannot use " + dir + " as a run directory: it is a file");
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try { lock = ch.tryLock(); } catch (OverlappingFileLockException e) { lock = null; }   // held by this JVM
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                throw new Main.UserFailure(dir + " is in use by another sivi process" + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; wait for it or choose another --out");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            removeStaleTemporaries(dir);
            return new RunLock(file, ch, lock);
        } catch (Main.UserFailure e) {
            close(ch);
            throw e;
        } catch (AccessDeniedException | FileAlreadyExistsException e) {
            close(ch);
            throw new Main.UserFailure("cannot write to " + dir + ": " + (e instanceof AccessDeniedException ? "permission denied" : "a path component is a file") + " (" + e.getFile() + ")");
        } catch (IOException e) {
            close(ch);
            throw new Main.UserFailure("cannot write to " + dir + ": " + e.getMessage());
        }
    }

    /**
     * A process killed while writing (SIGKILL runs no finally block) leaves its temporary sibling
     * ({@code .NAME…tmp}, see TensorFile.writeAtomically) behind; with the lock held no one else can
     * be writing one, so they go.
     */
    private static void removeStaleTemporaries(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(f)) Files.deleteIfExists(f);
            }
        }
    }

    private static void close(FileChannel ch) {
        try { if (ch != null) ch.close(); } catch (IOException ignored) { /* nothing was locked */ }
    }

    /** Releases the lock and removes the file (a leftover file would be harmless: the lock is the OS's). */
    @Override public void close() {
        try {
            Files.deleteIfExists(file);
            lock.release();
            channel.close();
        } catch (IOException ignored) { /* the OS releases the lock with the process */ }
    }
}
