package com.foobar.stack;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a file operation failed, in words. The JDK's exceptions for the commonest errors carry only the path as their
 * message ({@code AccessDeniedException: /proc/x}), which printed after that same path reads as no reason at all.
 */
final class IoReasons {

    private IoReasons() {
    }

    /**
     * {@code cannot create it: Permission denied}, or {@code cannot create /a/file: Not a directory} when the path
     * that failed is another than {@code target} (a parent in the way).
     */
    static String failed(String what, Path target, IOException e) {
        String file = e instanceof FileSystemException ? ((FileSystemException) e).getFile() : null;
        String subject = file == null || Path.of(file).equals(target) ? "it" : file;
        return "cannot " + what + " " + subject + ": " + reason(e);
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way, not a directory";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
