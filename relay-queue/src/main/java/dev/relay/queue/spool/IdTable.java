package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import java.util.Arrays;

/**
 * Queue ids to slot numbers without an object per message (issue 14: a million queued messages
 * in a small heap). An id (6 to 32 ASCII letters and digits) is packed into three longs, six
 * bits a character (1 + its place in ASCII order among the 62 allowed, 0 after the end), so the
 * packed form compares as the text does; the lookup is open addressing over an int table.
 * A slot number stays the message's until it is removed; its owner keeps the message's other
 * fields in arrays indexed by it ({@link #capacity()} tells how long they must be). About 24
 * bytes per id plus 8 to 16 of table, against about 80 for a {@code QueueId} and its string and
 * 40 more for a hash-map entry. Not thread-safe.
 */
final class IdTable {

    private static final int WORDS = 3;
    private static final int BITS = 6;

    /** Three longs per slot. */
    private long[] ids;
    /** Open addressing: slot + 1, 0 for an empty place; length a power of two, at most half full. */
    private int[] table;
    private int[] free = new int[16];
    private int freeCount;
    private int highWater;
    private int size;

    IdTable() {
        ids = new long[WORDS * 64];
        table = new int[128];
    }

    int size() {
        return size;
    }

    /** How many slots the owner's arrays must hold. */
    int capacity() {
        return ids.length / WORDS;
    }

    /** The slot of {@code id}, or -1. */
    int find(QueueId id) {
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
            if (ids[slot * WORDS] == a && ids[slot * WORDS + 1] == b && ids[slot * WORDS + 2] == c) {
                return slot;
            }
        }
    }

    /** Adds an id not yet in the table; returns its new slot. */
    int add(QueueId id) {
        long[] packed = pack(id.value());
        if (find(packed[0], packed[1], packed[2]) >= 0) {
            throw new IllegalStateException("queue id " + id + " is already in the table");
        }
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (highWater == capacity()) {
                ids = Arrays.copyOf(ids, WORDS * (capacity() + (capacity() >> 1)));
            }
            slot = highWater++;
        }
        System.arraycopy(packed, 0, ids, slot * WORDS, WORDS);
        if (2 * (size + 1) > table.length) {
            rehash(table.length * 2);
        }
        insert(slot);
        size++;
        return slot;
    }

    /** Removes the id of {@code slot}; the slot may be handed out again. */
    void remove(int slot) {
        int mask = table.length - 1;
        int place = hash(ids[slot * WORDS], ids[slot * WORDS + 1], ids[slot * WORDS + 2]) & mask;
        while (table[place] != slot + 1) {
            place = (place + 1) & mask;
        }
        // backward shift: later entries of the same run move up, so no tombstones are needed
        int gap = place;
        for (int next = (gap + 1) & mask; table[next] != 0; next = (next + 1) & mask) {
            int other = table[next] - 1;
            int home = hash(ids[other * WORDS], ids[other * WORDS + 1], ids[other * WORDS + 2]) & mask;
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

    /** The id of a slot in use. */
    QueueId id(int slot) {
        char[] text = new char[32];
        int length = 0;
        for (int i = 0; i < 32; i++) {
            int code = codeAt(slot, i);
            if (code == 0) {
                break;
            }
            text[length++] = character(code);
        }
        return new QueueId(new String(text, 0, length));
    }

    /** Compares the ids of two slots as their text compares. */
    int compare(int slot, int other) {
        for (int w = 0; w < WORDS; w++) {
            int byWord = Long.compareUnsigned(ids[slot * WORDS + w], ids[other * WORDS + w]);
            if (byWord != 0) {
                return byWord;
            }
        }
        return 0;
    }

    /** Compares the id of a slot with {@code id} as their text compares. */
    int compare(int slot, QueueId id) {
        long[] packed = pack(id.value());
        for (int w = 0; w < WORDS; w++) {
            int byWord = Long.compareUnsigned(ids[slot * WORDS + w], packed[w]);
            if (byWord != 0) {
                return byWord;
            }
        }
        return 0;
    }

    private int codeAt(int slot, int index) {
        int bit = 192 - BITS * (index + 1);
        int word = 2 - (bit >> 6);
        int within = bit & 63;
        long value = ids[slot * WORDS + word] >>> within;
        if (within > 64 - BITS && word > 0) {
            value |= ids[slot * WORDS + word - 1] << (64 - within);
        }
        return (int) (value & 63);
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
        int place = hash(ids[slot * WORDS], ids[slot * WORDS + 1], ids[slot * WORDS + 2]) & mask;
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
