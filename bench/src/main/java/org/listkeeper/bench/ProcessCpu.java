package org.listkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time of a process read from {@code /proc} (Linux). */
final class ProcessCpu {
    private static final double CLOCK_TICKS = 100;

    private ProcessCpu() {
    }

    /**
     * User + system CPU seconds of process {@code pid}; with {@code withChildren}, also those of its children, living
     * (each read now) and exited (what the kernel added to the parent when it reaped them).
     */
    static double seconds(long pid, boolean withChildren) throws IOException {
        String[] fields = fields(pid);
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : (Iterable<Path>) processes.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                    try {
                        String[] child = fields(Long.parseLong(process.getFileName().toString()));
                        if (Long.parseLong(child[1]) == pid) {
                            ticks += Long.parseLong(child[11]) + Long.parseLong(child[12]);
                        }
                    } catch (IOException | RuntimeException gone) {
                        // the process ended while we looked
                    }
                }
            }
        }
        return ticks / CLOCK_TICKS;
    }

    /** The fields of {@code /proc/PID/stat} after the command name: [0] state, [1] ppid, … [11] utime, [12] stime. */
    private static String[] fields(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
