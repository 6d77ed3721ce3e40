package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.text.TxtDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The policy file and TXT record parsers over generated input (RFC 8461 sections 3.1 and 3.2):
 * a valid policy, however its file is laid out, reads back as itself; a TXT record, however its
 * fields are spaced and ordered, yields its id; and no text at all makes either parser throw.
 */
class PolicyParserPropertyTest {

    @Provide
    Arbitrary<Policy> policies() {
        Arbitrary<MxPattern> patterns = Arbitraries.oneOf(MxPatternPropertyTest.names(),
                        MxPatternPropertyTest.names().map(n -> "*." + n))
                .map(text -> MxPattern.parse(text).orElseThrow());
        Arbitrary<Duration> maxAges = Arbitraries.oneOf(Arbitraries.longs().between(0, Policy.MAX_AGE_LIMIT.toSeconds()),
                        Arbitraries.of(0L, 1L, Policy.MAX_AGE_LIMIT.toSeconds()))
                .map(Duration::ofSeconds);
        return Combinators.combine(Arbitraries.of(PolicyMode.class), patterns.list().uniqueElements().ofMaxSize(5), maxAges)
                .as((mode, mx, maxAge) -> mode != PolicyMode.NONE && mx.isEmpty()
                        ? new Policy(mode, List.of(MxPattern.parse("mx.example").orElseThrow()), maxAge)
                        : new Policy(mode, mx, maxAge));
    }

    @Property
    void aPolicyReadsBackAsItself(@ForAll("policies") Policy policy) {
        assertThat(PolicyParser.parse(policy.toText())).isEqualTo(new PolicyParse.Valid(policy, List.of()));
    }

    /** The same policy in another layout: lines shuffled, LF or CRLF, white space, case of mx, unknown keys. */
    @Property
    void theLayoutOfTheFileDoesNotChangeThePolicy(@ForAll("policies") Policy policy, @ForAll long seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(List.of("version:STSv1", "mode:" + policy.mode().label(),
                "max_age:" + "0".repeat(random.nextInt(3)) + policy.maxAge().toSeconds()));
        policy.mx().forEach(mx -> lines.add("mx:"));
        lines.add("x-extension_" + random.nextInt(100) + ":" + " anything: at all ");
        Collections.shuffle(lines, random);
        // mx lines keep their order among themselves: the policy lists them in file order
        List<String> mxInOrder = new ArrayList<>(policy.mx().stream().map(MxPattern::pattern).toList());
        StringBuilder file = new StringBuilder();
        for (String line : lines) {
            String mx = line.equals("mx:") ? mxInOrder.removeFirst() : "";
            String written = line.equals("mx:") ? "mx:" + (random.nextBoolean() ? mx.toUpperCase(Locale.ROOT) : mx) : line;
            int colon = written.indexOf(':');
            file.append(written, 0, colon + 1).append(" \t".substring(0, random.nextInt(3)))
                    .append(written.substring(colon + 1)).append(" \t".substring(0, random.nextInt(3)))
                    .append(random.nextBoolean() ? "\r\n" : "\n");
        }

        assertThat(PolicyParser.parse(file.toString())).isEqualTo(new PolicyParse.Valid(policy, List.of()));
    }

    /** Text dense in the policy syntax, the line ends and the characters around it. */
    @Provide
    Arbitrary<String> policyLike() {
        Arbitrary<String> pieces = Arbitraries.of("version", "mode", "mx", "max_age", ":", " ", "\t", "\r", "\n", "\r\n",
                "STSv1", "enforce", "testing", "none", "*.", "mail.example.com", ".", "-", "_", "0", "31557601",
                "99999999999999999999", "\uFEFF", "\u0000", "\u007f", "é", "#", "=", ";");
        return Arbitraries.oneOf(pieces.list().ofMaxSize(30).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(60));
    }

    @Property
    void anyTextIsReadWithoutAnException(@ForAll("policyLike") String text) {
        PolicyParse parse = PolicyParser.parse(text);

        assertThat(parse).isNotNull();
        if (parse instanceof PolicyParse.Valid valid) {
            assertThat(PolicyParser.parse(valid.policy().toText())).isEqualTo(new PolicyParse.Valid(valid.policy(), List.of()));
        }
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(32);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(";", "; ", " ;", "\t;\t", " ;  ");
    }

    @Property
    void aTxtRecordYieldsItsIdHoweverItsFieldsAreSpacedAndOrdered(@ForAll("ids") String id,
            @ForAll("separators") String first, @ForAll("separators") String second,
            @ForAll boolean extensionFirst, @ForAll boolean trailingSemicolon) {
        String extension = "ext-1.a_b=v!" + id;
        String fields = extensionFirst ? extension + second + "id=" + id : "id=" + id + second + extension;
        String record = "v=STSv1" + first + fields + (trailingSemicolon ? ";" : "");

        assertThat(StsRecordParser.parse(List.of("v=spf1 -all", record)))
                .isEqualTo(new TxtDiscovery.Found<>(new StsRecord(id)));
    }

    @Provide
    Arbitrary<List<String>> txtLike() {
        Arbitrary<String> pieces = Arbitraries.of("v=STSv1", "v=STSv10", "id", "=", ";", " ", "\t", "abc", "ID", "ext",
                "_", "-", ".", "é", "\u0000", "0123456789abcdef0123456789abcdef0");
        Arbitrary<String> records = Arbitraries.oneOf(pieces.list().ofMaxSize(12).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(40));
        return records.list().ofMaxSize(3);
    }

    @Property
    void anyTxtRecordsAreReadWithoutAnException(@ForAll("txtLike") List<String> records) {
        TxtDiscovery<StsRecord> discovery = StsRecordParser.parse(records);

        assertThat(discovery).isNotNull();
        if (discovery instanceof TxtDiscovery.Found<StsRecord> found) {
            assertThat(found.record().id()).matches("[A-Za-z0-9]{1,32}");
        }
    }
}
