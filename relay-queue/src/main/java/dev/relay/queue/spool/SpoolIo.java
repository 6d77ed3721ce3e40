package dev.relay.queue.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the store opens segment files and asks for free space: the file system itself, or (in
 * tests) a wrapper that fails a write or a sync on cue, which a real disk cannot do.
 */
interface SpoolIo {
    SpoolIo FILE_SYSTEM = new SpoolIo() {};

    default FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, options);
    }

    /** Free bytes on the file system holding {@code file}, as an unprivileged process may use them. */
    default long usableSpace(Path file) throws IOException {
        return Files.getFileStore(file).getUsableSpace();
    }
}
