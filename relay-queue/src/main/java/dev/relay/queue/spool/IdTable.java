package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import java.util.Arrays;

/**
 * Queue ids to slot numbers without an object per message (issue 14: a million queued messages
 * in a small heap). An id (6 to 32 ASCII letters and digits) is packed into three longs, six
 * bits a character (1 + its place in ASCII order among the 62 allowed, 0 after the end), so the
 * packed form compares as the text does; the lookup is open addressing over an int table.
 * A slot number stays the message's until every owner that took it has let it go; each owner
 * keeps the message's other fields in arrays indexed by it (grown by {@link #grownLength}).
 * About 24 bytes per id plus 8 to 16 of table, against about 80 for a
 * {@code QueueId} and its string and 40 more for a hash-map entry.
 *
 * <p>Shared by the queue's index and the spool's (issue 14: each kept a table of its own, 32
 * bytes a message twice), which are guarded by different locks: lookups, taking and letting go
 * of slots hold this table's monitor; reading the id of a slot the caller holds does not, since
 * the pages of ids never move (the list of them is replaced whole, and volatile) and a slot's
 * words do not change while it is held.
 */
final class IdTable {

    private static final int WORDS = 3;
    private static final int BITS = 6;
    /** Slots per page of ids: 24 KB a page, so growth costs no copy and leaves no slack to speak of. */
    private static final int PAGE_SHIFT = 10;
    private static final int PAGE = 1 << PAGE_SHIFT;

    /** Three longs per slot, in pages of {@link #PAGE} slots. */
    private volatile long[][] pages = new long[0][];
    /** How many owners hold each slot; 0 for a free one. */
    private byte[] owners = new byte[0];
    /** Open addressing: slot + 1, 0 for an empty place; length a power of two, at most half full. */
    private int[] table = new int[128];
    private int[] free = new int[16];
    private int freeCount;
    private int highWater;
    private int size;

    /** How many distinct ids are held. */
    synchronized int size() {
        return size;
    }

    /**
     * The length an owner's array of {@code length} grows to so as to hold {@code needed}: by half
     * at a time from 64, as all of the index's arrays grow (about 1.08 million at a million).
     */
    static int grownLength(int length, int needed) {
        int grown = Math.max(length, 64);
        while (grown < needed) {
            grown += grown >> 1;
        }
        return grown;
    }

    /** The slot of {@code id} (whoever holds it), or -1. */
    synchronized int find(QueueId id) {
        long[] packed = pack(id.value());
        return find(packed[0], packed[1], packed[2]);
    }

    private int find(long a, long b, long c) {
        int mask = table.length - 1;
        for (int place = hash(a, b, c) & mask; ; place = (place + 1) & mask) {
            int entry = table[place];
            if (entry == 0) {
                return -1;
            }
            int slot = entry - 1;
            if (word(slot, 0) == a && word(slot, 1) == b && word(slot, 2) == c) {
                return slot;
            }
        }
    }

    /**
     * Takes the slot of {@code id} for one more owner: the slot another owner holds for it, or a
     * new one. Each owner takes an id at most once, and lets it go with {@link #release}.
     */
    synchronized int acquire(QueueId id) {
        long[] packed = pack(id.value());
        int slot = find(packed[0], packed[1], packed[2]);
        if (slot >= 0) {
            if (owners[slot] == Byte.MAX_VALUE) {
                throw new IllegalStateException("queue id " + id + " has too many owners");
            }
            owners[slot]++;
            return slot;
        }
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (highWater == pages.length * PAGE) {
                long[][] grown = Arrays.copyOf(pages, pages.length + 1);
                grown[pages.length] = new long[WORDS * PAGE];
                pages = grown;
            }
            if (highWater == owners.length) {
                owners = Arrays.copyOf(owners, grownLength(owners.length, highWater + 1));
            }
            slot = highWater++;
        }
        System.arraycopy(packed, 0, pages[slot >>> PAGE_SHIFT], (slot & (PAGE - 1)) * WORDS, WORDS);
        owners[slot] = 1;
        if (2 * (size + 1) > table.length) {
            rehash(table.length * 2);
        }
        insert(slot);
        size++;
        return slot;
    }

    /** One owner lets the slot go; once none holds it, its id is removed and the slot may be handed out again. */
    synchronized void release(int slot) {
        if (owners[slot] <= 0) {
            throw new IllegalStateException("slot " + slot + " is not held");
        }
        if (--owners[slot] == 0) {
            remove(slot);
        }
    }

    private void remove(int slot) {
        int mask = table.length - 1;
        int place = hash(word(slot, 0), word(slot, 1), word(slot, 2)) & mask;
        while (table[place] != slot + 1) {
            place = (place + 1) & mask;
        }
        // backward shift: later entries of the same run move up, so no tombstones are needed
        int gap = place;
        for (int next = (gap + 1) & mask; table[next] != 0; next = (next + 1) & mask) {
            int other = table[next] - 1;
            int home = hash(word(other, 0), word(other, 1), word(other, 2)) & mask;
            if (((next - home) & mask) >= ((next - gap) & mask)) {
                table[gap] = table[next];
                gap = next;
            }
        }
        table[gap] = 0;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        size--;
    }

    /** The id of a slot the caller holds. */
    QueueId id(int slot) {
        char[] text = new char[32];
        int length = 0;
        long[][] all = pages;
        for (int i = 0; i < 32; i++) {
            int code = codeAt(all, slot, i);
            if (code == 0) {
                break;
            }
            text[length++] = character(code);
        }
        return new QueueId(new String(text, 0, length));
    }

    /** Compares the ids of two slots the caller holds as their text compares. */
    int compare(int slot, int other) {
        long[][] all = pages;
        for (int w = 0; w < WORDS; w++) {
            int byWord = Long.compareUnsigned(word(all, slot, w), word(all, other, w));
            if (byWord != 0) {
                return byWord;
            }
        }
        return 0;
    }

    /** Compares the id of a slot the caller holds with {@code id} as their text compares. */
    int compare(int slot, QueueId id) {
        long[] packed = pack(id.value());
        long[][] all = pages;
        for (int w = 0; w < WORDS; w++) {
            int byWord = Long.compareUnsigned(word(all, slot, w), packed[w]);
            if (byWord != 0) {
                return byWord;
            }
        }
        return 0;
    }

    private int codeAt(long[][] all, int slot, int index) {
        int bit = 192 - BITS * (index + 1);
        int word = 2 - (bit >> 6);
        int within = bit & 63;
        long value = word(all, slot, word) >>> within;
        if (within > 64 - BITS && word > 0) {
            value |= word(all, slot, word - 1) << (64 - within);
        }
        return (int) (value & 63);
    }

    private long word(int slot, int word) {
        return word(pages, slot, word);
    }

    private static long word(long[][] all, int slot, int word) {
        return all[slot >>> PAGE_SHIFT][(slot & (PAGE - 1)) * WORDS + word];
    }

    private static long[] pack(String text) {
        long[] packed = new long[WORDS];
        for (int i = 0; i < text.length(); i++) {
            long code = code(text.charAt(i));
            int bit = 192 - BITS * (i + 1);
            int word = 2 - (bit >> 6);
            int within = bit & 63;
            packed[word] |= code << within;
            if (within > 64 - BITS && word > 0) {
                packed[word - 1] |= code >>> (64 - within);
            }
        }
        return packed;
    }

    private static int code(char c) {
        if (c <= '9') {
            return 1 + c - '0';
        }
        if (c <= 'Z') {
            return 11 + c - 'A';
        }
        return 37 + c - 'a';
    }

    private static char character(int code) {
        if (code <= 10) {
            return (char) ('0' + code - 1);
        }
        if (code <= 36) {
            return (char) ('A' + code - 11);
        }
        return (char) ('a' + code - 37);
    }

    private void insert(int slot) {
        int mask = table.length - 1;
        int place = hash(word(slot, 0), word(slot, 1), word(slot, 2)) & mask;
        while (table[place] != 0) {
            place = (place + 1) & mask;
        }
        table[place] = slot + 1;
    }

    private void rehash(int length) {
        int[] old = table;
        table = new int[length];
        for (int entry : old) {
            if (entry != 0) {
                insert(entry - 1);
            }
        }
    }

    private static int hash(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L;
        h = (h ^ b) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ c) * 0x165667B19E3779F9L;
        return (int) (h ^ (h >>> 32));
    }
}
