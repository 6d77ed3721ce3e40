package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.queue.QueueEvents;
import dev.relay.queue.SpoolFullException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How big a segment is made for the free space there is, and when none is made (free space as reported). */
class PreallocatorTest {

    private static final long MB = 1 << 20;
    private static final long RESERVE = 8 * MB;

    @TempDir
    Path temp;

    private Preallocator.Prepared prepare(long free, boolean forMail) throws IOException {
        SpoolLayout layout = new SpoolLayout(temp.resolve("spool-" + free + "-" + forMail));
        layout.createDirectories();
        FaultyIo io = new FaultyIo();
        io.reportedFree.set(free);
        try (Preallocator preallocator = new Preallocator(layout, 4 * MB, RESERVE, io, QueueEvents.NONE)) {
            try {
                Preallocator.Prepared prepared = preallocator.await(1, forMail);
                assertThat(Files.size(prepared.file())).isEqualTo(prepared.size());
                return prepared;
            } catch (SpoolFullException e) {
                // checked before close() would clean up: no file was made at all
                assertThat(tmpFiles()).isEmpty();
                throw e;
            }
        }
    }

    @Test
    void fullSizeWhenItLeavesTheReserveFree() throws IOException {
        assertThat(prepare(RESERVE + 4 * MB, true)).extracting(Preallocator.Prepared::size, Preallocator.Prepared::forMail)
                .containsExactly(4 * MB, true);
    }

    @Test
    void smallerInWholeMegabytesWhenThatIsAllThatLeavesTheReserveFree() throws IOException {
        assertThat(prepare(RESERVE + 2 * MB + MB / 2, true))
                .extracting(Preallocator.Prepared::size, Preallocator.Prepared::forMail).containsExactly(2 * MB, true);
    }

    @Test
    void noSegmentForMailBelowOneMegabyteAboveTheReserveAndNoFileLeft() throws IOException {
        assertThatThrownBy(() -> prepare(RESERVE + MB / 2, true)).isInstanceOf(SpoolFullException.class)
                .hasMessageContaining("kept free (spool.min-free-space)");
    }

    @Test
    void aResultsOnlySegmentMayUseHalfTheReserveNoMore() throws IOException {
        assertThat(prepare(RESERVE + MB / 2, false)).extracting(Preallocator.Prepared::size,
                Preallocator.Prepared::forMail).containsExactly(MB, false);
        assertThat(prepare(RESERVE / 2 + MB, false)).extracting(Preallocator.Prepared::forMail).isEqualTo(false);
        assertThatThrownBy(() -> prepare(RESERVE / 2 + MB - 1, false)).isInstanceOf(SpoolFullException.class);
    }

    @Test
    void aStartsFirstSegmentIsOneStepSoTheListenersNeedNotWaitForAWholeSegment() throws IOException {
        SpoolLayout layout = new SpoolLayout(temp.resolve("spool-first"));
        layout.createDirectories();
        FaultyIo io = new FaultyIo();
        io.reportedFree.set(RESERVE + 64 * MB);
        try (Preallocator preallocator = new Preallocator(layout, 4 * MB, RESERVE, io, QueueEvents.NONE)) {
            Preallocator.Prepared first = preallocator.awaitFirst(1);
            assertThat(first.size()).isEqualTo(MB);
            assertThat(first.forMail()).isTrue();
            assertThat(Files.size(first.file())).isEqualTo(MB);
            preallocator.claimed();
            assertThat(preallocator.await(2, true).size()).as("the segments after it are full size").isEqualTo(4 * MB);
        }
    }

    /** Prepared files left anywhere under the test's directory. */
    private java.util.List<Path> tmpFiles() throws IOException {
        try (Stream<Path> files = Files.walk(temp)) {
            return files.filter(file -> file.toString().endsWith(".tmp")).toList();
        }
    }
}
