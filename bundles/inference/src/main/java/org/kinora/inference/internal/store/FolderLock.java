package org.kinora.inference.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.kinora.core.inference.ModelStoreException;

/**
 * Serializes changes to one model across threads and processes (two test JVMs fetching into the same folder): a JVM
 * lock per lock file, then an OS file lock, which Java only allows once per JVM and file.
 */
final class FolderLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final ReentrantLock jvm;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(ReentrantLock jvm, FileChannel channel, FileLock lock) {
        this.jvm = jvm;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks model {@code id} of the store {@code folder} (lock files live in {@code folder/.locks}). */
    static FolderLock lock(Path folder, String id) throws ModelStoreException {
        Path file = folder.resolve(".locks").resolve(id + ".lock").toAbsolutePath().normalize();
        ReentrantLock jvm = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        jvm.lock();
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new FolderLock(jvm, ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            jvm.unlock();
            throw new ModelStoreException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the channel anyway
        } finally {
            jvm.unlock();
        }
    }
}
