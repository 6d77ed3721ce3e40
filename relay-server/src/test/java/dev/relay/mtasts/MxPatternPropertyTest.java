package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * RFC 8461 section 4.1 as properties over generated names: an exact pattern matches only its own
 * name (case, one trailing dot and surrounding white space aside), a wildcard exactly one more
 * valid label. MX matching is the security decision of enforce mode; the oracle here is an
 * independent regular expression, not the code under test.
 */
class MxPatternPropertyTest {

    /** One LDH label: RFC 1035 letters, digits and inner hyphens, at most 63 octets. */
    static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern ONE_LABEL = Pattern.compile(LABEL);
    private static final Pattern LDH_NAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");

    /** Valid labels; the edges of each character range ('a', 'z', '0', '9') come up often. */
    @Provide
    static Arbitrary<String> labels() {
        Arbitrary<String> shortLabels = Arbitraries.strings().withChars("az09-m5").ofMinLength(1).ofMaxLength(4);
        Arbitrary<String> anyLength = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('-').ofMinLength(1).ofMaxLength(63);
        return Arbitraries.oneOf(shortLabels, anyLength).filter(l -> ONE_LABEL.matcher(l).matches());
    }

    /** Valid host names (1 to 4 labels, not all digits, which would be an IPv4 address). */
    @Provide
    static Arbitrary<String> names() {
        return labels().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l))
                .filter(n -> n.length() <= 253 && !n.matches("[0-9.]+"));
    }

    /** Characters around and inside the LDH ranges, and those that must never pass. */
    private static final String NOISE = "az09AZ-._*` {/:@[]\t\u0000"; // U-labels: MxPatternTest

    /** The name with one edit, in various spellings; the edit may happen to change nothing. */
    private static Arbitrary<String> spellingsOf(String name) {
        Arbitrary<String> respelled = Combinators.combine(Arbitraries.longs(), Arbitraries.of("", ".", " ", "\t"))
                .as((seed, end) -> randomCase(name, new Random(seed)) + end);
        Arbitrary<String> edited = Combinators.combine(
                        Arbitraries.integers().between(0, name.length()),
                        Arbitraries.of(NOISE.chars().mapToObj(c -> String.valueOf((char) c)).toList()),
                        Arbitraries.of(Edit.values()))
                .as((at, c, edit) -> edit.apply(name, at, c));
        Arbitrary<String> noise = Arbitraries.strings().withChars(NOISE).ofMaxLength(12);
        return Arbitraries.oneOf(respelled, edited, noise);
    }

    enum Edit {
        INSERT, REPLACE, DELETE, PREFIX_LABEL, SUFFIX_LABEL;

        String apply(String name, int at, String c) {
            return switch (this) {
                case INSERT -> name.substring(0, at) + c + name.substring(at);
                case REPLACE -> at == name.length() ? name + c : name.substring(0, at) + c + name.substring(at + 1);
                case DELETE -> at == name.length() ? name : name.substring(0, at) + name.substring(at + 1);
                case PREFIX_LABEL -> c + "." + name;
                case SUFFIX_LABEL -> name + "." + c;
            };
        }
    }

    private static String randomCase(String s, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    /** The host as matching compares it: stripped, lower case, one trailing dot dropped. */
    private static String normalized(String host) {
        String s = host.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    @Provide
    Arbitrary<Tuple2<String, String>> nameAndHost() {
        return names().flatMap(name -> spellingsOf(name).map(host -> Tuple.of(name, host)));
    }

    @Property
    void anExactPatternMatchesOnlyItsOwnName(@ForAll("nameAndHost") Tuple2<String, String> nameAndHost) {
        String name = nameAndHost.get1();
        String host = nameAndHost.get2();
        MxPattern pattern = MxPattern.parse(name).orElseThrow();

        assertThat(pattern.isWildcard()).isFalse();
        assertThat(pattern.matches(host)).as("%s vs [%s]", name, host).isEqualTo(normalized(host).equals(name));
    }

    @Property
    void anExactPatternMatchesItsNameInAnyCaseWithOrWithoutTheTrailingDot(
            @ForAll("names") String name, @ForAll long seed, @ForAll boolean trailingDot) {
        String host = randomCase(name, new Random(seed)) + (trailingDot ? "." : "");

        assertThat(MxPattern.parse(host).orElseThrow().matches(name)).isTrue();
        assertThat(MxPattern.parse(name).orElseThrow().matches(host)).isTrue();
        assertThat(MxPattern.parse("*." + name).orElseThrow().matches(host)).as("a wildcard never matches its bare domain").isFalse();
    }

    @Property
    void aWildcardMatchesExactlyOneMoreValidLabel(@ForAll("nameAndHost") Tuple2<String, String> domainAndHost) {
        String domain = domainAndHost.get1();
        String host = domainAndHost.get2();
        MxPattern pattern = MxPattern.parse("*." + domain).orElseThrow();
        String n = normalized(host);
        boolean oneMoreLabel = n.endsWith("." + domain)
                && ONE_LABEL.matcher(n.substring(0, n.length() - domain.length() - 1)).matches();

        assertThat(pattern.isWildcard()).isTrue();
        assertThat(pattern.matches(host)).as("*.%s vs [%s]", domain, host).isEqualTo(oneMoreLabel);
    }

    @Property
    void aWildcardMatchesAnyOneValidLabelButNeverTwoNorAnInvalidOne(
            @ForAll("names") String domain, @ForAll("labels") String label, @ForAll("labels") String another,
            @ForAll("badLabels") String bad) {
        MxPattern pattern = MxPattern.parse("*." + domain).orElseThrow();

        assertThat(pattern.matches(label + "." + domain)).isTrue();
        assertThat(pattern.matches(label.toUpperCase(Locale.ROOT) + "." + domain + ".")).isTrue();
        assertThat(pattern.matches(domain)).isFalse();
        assertThat(pattern.matches(another + "." + label + "." + domain)).isFalse();
        assertThat(pattern.matches(bad + "." + domain)).as("label [%s]", bad).isFalse();
    }

    /** Labels no host name has: a character outside LDH, a hyphen at an end, empty, or too long. */
    @Provide
    Arbitrary<String> badLabels() {
        Arbitrary<String> withBadChar = Combinators.combine(labels(), Arbitraries.of(List.of("_", "*", "`", "{", "/", ":", "@", "!", "\u0000")),
                        Arbitraries.integers().between(0, 63))
                .as((l, c, at) -> l.substring(0, Math.min(at, l.length())) + c + l.substring(Math.min(at, l.length())));
        Arbitrary<String> hyphenAtAnEnd = labels().flatMap(l -> Arbitraries.of("-" + l, l + "-"));
        Arbitrary<String> tooLong = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(64).ofMaxLength(70);
        return Arbitraries.oneOf(withBadChar, hyphenAtAnEnd, tooLong, Arbitraries.just(""));
    }

    @Provide
    Arbitrary<String> patternTexts() {
        return Arbitraries.oneOf(names(), names().map(n -> "*." + n), names().flatMap(MxPatternPropertyTest::spellingsOf),
                names().flatMap(n -> spellingsOf("*." + n)));
    }

    @Property
    void parseAcceptsExactlyLdhNamesAfterAnOptionalWildcard(@ForAll("patternTexts") String text) {
        String s = text.toLowerCase(Locale.ROOT);
        s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        String domain = s.startsWith("*.") ? s.substring(2) : s;
        boolean valid = domain.length() <= 253 && LDH_NAME.matcher(domain).matches();

        assertThat(MxPattern.parse(text).map(MxPattern::pattern)).as("[%s]", text)
                .isEqualTo(valid ? java.util.Optional.of(s) : java.util.Optional.empty());
    }

    @Property
    void anAddressPatternMatchesNothing(@ForAll("addresses") String address) {
        MxPattern pattern = MxPattern.parse(address).orElseThrow();

        assertThat(pattern.matches(address)).isFalse();
        assertThat(pattern.matches(address + ".")).isFalse();
    }

    @Provide
    Arbitrary<String> addresses() {
        return Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(octets -> String.join(".", octets.stream().map(String::valueOf).toList()));
    }
}
