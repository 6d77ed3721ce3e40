package dev.relay.it.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/** What the load programs share about the TLS sink's process and the CPU they measure. */
final class BenchProcesses {

    private BenchProcesses() {}

    /** The sink's port, from its {@code port=} line (other lines before it are logging's start-up chatter). */
    static int readPort(Process sink) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.US_ASCII));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("port=")) {
                return Integer.parseInt(line.substring("port=".length()));
            }
        }
        throw new IllegalStateException("the sink did not start");
    }

    /** Closes the sink's stdin, which tells it to print its counts and exit; prints them. */
    static void stopSink(Process sink) throws Exception {
        try (OutputStream in = sink.getOutputStream()) {
            in.flush();
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.US_ASCII));
        String line;
        while ((line = out.readLine()) != null) {
            System.out.println(line);
        }
        if (!sink.waitFor(10, TimeUnit.SECONDS)) {
            sink.destroyForcibly();
        }
    }

    /** CPU time of another process, from /proc (utime + stime, in clock ticks of 10 ms). */
    static long cpuNanos(Process process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** CPU time of this JVM so far. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Busy CPU time of the whole machine so far (user, nice, system, irq and softirq of every CPU,
     * from {@code /proc/stat}, in ticks of 10 ms); -1 where there is no {@code /proc/stat}. It
     * shows work the kernel does for the relay outside its threads (softirqs run elsewhere,
     * kernel worker threads), which the process's own CPU time leaves out.
     */
    static long machineBusyNanos() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/stat"))) {
            String[] fields = lines.findFirst().orElse("").trim().split("\\s+");
            if (fields.length < 8 || !fields[0].equals("cpu")) {
                return -1;
            }
            long ticks = 0;
            for (int field : new int[] {1, 2, 3, 6, 7}) {
                ticks += Long.parseLong(fields[field]);
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Hands each live thread of this JVM whose CPU time is known to {@code action}: its name and that time in nanoseconds. */
    static void eachThreadCpu(ObjLongConsumer<String> action) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue; // ended since the ids were taken
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                action.accept(info.getThreadName(), cpu);
            }
        }
    }

    /**
     * CPU time so far of this JVM's threads, by name with the numbering taken off
     * ({@code smtp-io-3-1} counts as {@code smtp-io}). The load driver's threads are
     * {@code load}, the DNS server's {@code test-dns}; the policy server runs on virtual threads,
     * whose carriers are {@code ForkJoinPool} workers (the relay runs no virtual threads).
     */
    static Map<String, Long> cpuByThreadGroup() {
        Map<String, Long> groups = new TreeMap<>();
        for (String group : List.of("load", "test-dns", "ForkJoinPool")) {
            groups.put(group, 0L);
        }
        eachThreadCpu((threadName, cpu) -> groups.merge(threadGroup(threadName), cpu, Long::sum));
        return groups;
    }

    /** What grew from {@code before} to {@code after}, group by group, in name order; groups that did not grow are left out. */
    static Map<String, Long> grownSince(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> grown = new TreeMap<>();
        after.forEach((group, value) -> {
            long delta = value - before.getOrDefault(group, 0L);
            if (delta > 0) {
                grown.put(group, delta);
            }
        });
        return grown;
    }

    /** A thread's group: its name without the numbering, the DNS server's and the carriers' as one each. */
    static String threadGroup(String threadName) {
        String name = threadName.replaceAll("[-#]?[0-9]+", "").replaceAll("-+$", "");
        if (name.startsWith("test-dns")) {
            return "test-dns";
        }
        return name.startsWith("ForkJoinPool") ? "ForkJoinPool" : name;
    }
}
