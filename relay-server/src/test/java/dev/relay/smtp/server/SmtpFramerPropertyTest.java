package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The framer against a plain model of RFC 5321 (4.1.1.4 and 4.5.2) over generated input, cut
 * into reads at generated places: DATA ends at the first CRLF "." CRLF and nowhere else, the
 * content is the input with line-start dots removed (a line starts only after CRLF), and in
 * command mode only CRLF ends a line; a bare CR or LF never passes as a line end. The model
 * knows nothing of the framer's states; the input mixes CR, LF and dots densely so that every
 * fake terminator of the smuggling family comes up.
 */
class SmtpFramerPropertyTest {

    private static FramerRecorder frame(String stream, List<Integer> cuts) {
        List<String> reads = new ArrayList<>();
        int from = 0;
        for (int cut : new TreeSet<>(cuts.stream().map(c -> Math.min(c, stream.length())).toList())) {
            reads.add(stream.substring(from, cut));
            from = cut;
        }
        reads.add(stream.substring(from));
        FramerRecorder recorder = FramerRecorder.frame(new SmtpFramer(), reads);
        // content only inside DATA: each body entry follows the DATA line
        List<String> seen = recorder.seen;
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).startsWith("body:")) {
                assertThat(seen.get(i - 1)).as("what content follows").isEqualTo("line:DATA");
            }
        }
        return recorder;
    }

    /** Text dense in CR, LF and dots. */
    @Provide
    Arbitrary<String> dense() {
        return Arbitraries.strings().withChars("\r\n.\r\n.aX").ofMaxLength(40);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 60).list().ofMaxSize(6);
    }

    // ---- the model ----

    /** Content as RFC 5321 4.5.2 reads it: a "." first on a line (after CRLF, or first) removed. */
    private static String unstuffed(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            boolean lineStart = i == 0 || (i >= 2 && text.charAt(i - 2) == '\r' && text.charAt(i - 1) == '\n');
            if (!(lineStart && text.charAt(i) == '.')) {
                out.append(text.charAt(i));
            }
        }
        return out.toString();
    }

    /** Command-mode events for text: each LF ends a line; CRLF makes it a command, anything else bad. */
    private static List<String> commandEvents(String text) {
        List<String> events = new ArrayList<>();
        int from = 0;
        for (int lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', from)) {
            String line = text.substring(from, lf);
            boolean crlf = line.endsWith("\r") && line.indexOf('\r') == line.length() - 1;
            events.add(crlf ? "line:" + line.substring(0, line.length() - 1) : "bad:BARE_LINE_BREAK");
            from = lf + 1;
        }
        return events;
    }

    @Property
    void dataEndsAtTheFirstCrlfDotCrlfAndNowhereElse(@ForAll("dense") String body, @ForAll("dense") String after,
            @ForAll("cuts") List<Integer> cuts) {
        // "DATA" CRLF ends the command line, so the content starts at a line start
        String stream = "DATA\r\n" + body + "\r\n.\r\n" + after;
        String fromDataLine = "\r\n" + body + "\r\n.\r\n" + after;
        int terminator = fromDataLine.indexOf("\r\n.\r\n");
        String content = fromDataLine.substring(2, terminator + 2);
        String rest = fromDataLine.substring(terminator + 5);

        FramerRecorder recorder = frame(stream, cuts);

        List<String> expected = new ArrayList<>(List.of("line:DATA", "end"));
        expected.addAll(commandEvents(rest));
        assertThat(recorder.withoutContent()).as("events for %s", escaped(stream)).isEqualTo(expected);
        assertThat(recorder.content.toString(StandardCharsets.ISO_8859_1)).as("content for %s", escaped(stream))
                .isEqualTo(unstuffed(content));
    }

    @Property
    void withoutCrlfDotCrlfDataNeverEnds(@ForAll("dense") String body, @ForAll("cuts") List<Integer> cuts) {
        String fromDataLine = "\r\n" + body;
        if (fromDataLine.contains("\r\n.\r\n")) {
            body = body.replace(".", "x"); // no dot, no terminator, fake or real
            fromDataLine = "\r\n" + body;
        }

        FramerRecorder recorder = frame("DATA\r\n" + body, cuts);

        assertThat(recorder.withoutContent()).as("events for %s", escaped(body)).containsExactly("line:DATA");
        // all content is passed on at once but a CR after a line-start dot: it may begin the terminator
        String expected = unstuffed(body);
        if (fromDataLine.endsWith("\r\n.\r")) {
            expected = expected.substring(0, expected.length() - 1);
        }
        assertThat(recorder.content.toString(StandardCharsets.ISO_8859_1)).as("content for %s", escaped(body))
                .isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> commands() {
        return Arbitraries.strings().withChars("\r\n\r\nNOP ").ofMaxLength(40);
    }

    @Property
    void inCommandModeOnlyCrlfEndsALine(@ForAll("commands") String stream, @ForAll("cuts") List<Integer> cuts) {
        FramerRecorder recorder = frame(stream, cuts);

        assertThat(recorder.withoutContent()).as("events for %s", escaped(stream)).isEqualTo(commandEvents(stream));
        assertThat(recorder.withoutContent()).noneMatch(e -> e.startsWith("line:") && (e.contains("\r") || e.contains("\n")));
    }

    private static String escaped(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
