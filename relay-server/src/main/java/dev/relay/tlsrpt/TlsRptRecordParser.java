package dev.relay.tlsrpt;

import dev.relay.text.TxtDiscovery;
import dev.relay.text.TxtRecordFields;
import dev.relay.text.TxtRecordFormat;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the TXT records at {@code _smtp._tls.<domain>} (RFC 8460 section 3). Pure: the caller
 * resolves them; {@link #parse} takes each record with its character-strings already joined
 * (as {@code dns.DnsResolver.lookupTxt} gives them), {@link #parseStrings} joins them itself.
 * <ul>
 *   <li>Records that do not begin with {@code v=TLSRPTv1} (case-sensitive, then the end, a
 *       {@code ;} or white space) are someone else's and discarded: none left is
 *       {@link TxtDiscovery.NoRecord}: the domain asks for no reports.</li>
 *   <li>Two or more left: {@link TxtDiscovery.Invalid} ("if the number of resulting records is
 *       not one, senders MUST assume the recipient domain does not implement TLSRPT"). A record
 *       that is there but cannot be used is invalid too; either way the domain gets no report
 *       (RFC 8460 section 3).</li>
 *   <li>Fields are separated by {@code *WSP ";" *WSP}; a trailing {@code ;} and trailing white
 *       space are allowed, an empty field between two separators is not, nor white space before
 *       {@code v=} or around {@code =}.</li>
 *   <li>{@code rua} is required: one or more URIs separated by {@code *WSP "," *WSP}. Scheme names
 *       are case-insensitive. {@code mailto:} and {@code https:} URIs are used; URIs of other
 *       schemes are ignored (listed in {@link TlsRptRecord#ignored()}); no usable one left is
 *       invalid, so {@link TxtDiscovery.Found} has at least one usable destination. A
 *       {@code mailto:} without an address or an {@code https:} without a host is invalid.</li>
 *   <li>Other fields are extensions, ignored once well-formed (name
 *       {@code (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")}, value one or more printable
 *       ASCII characters other than {@code =}, {@code ;} and space). A field named twice: the
 *       first counts.</li>
 * </ul>
 */
public final class TlsRptRecordParser {

    private static final String VERSION = "v=TLSRPTv1";
    private static final String RUA = "rua";
    private static final Pattern URI_SEPARATOR = Pattern.compile("[ \\t]*,[ \\t]*");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");
    private static final int QUOTE_LIMIT = 60;
    private static final TxtRecordFormat FORMAT = new TxtRecordFormat(VERSION, RUA, TlsRptRecordParser::valueProblem,
            TlsRptRecordParser::quote, TlsRptRecordParser::caseOfRua);

    private TlsRptRecordParser() {}

    /** What the domain's TXT records announce; each string is one whole record. */
    public static TxtDiscovery<TlsRptRecord> parse(List<String> txtRecords) {
        return TxtRecordFields.readTheOne(txtRecords, FORMAT, TlsRptRecordParser::destinations);
    }

    /** The same, for records given as their character-strings (joined without a separator, RFC 8460 section 3). */
    public static TxtDiscovery<TlsRptRecord> parseStrings(List<List<String>> txtRecords) {
        return parse(txtRecords.stream().map(strings -> String.join("", strings)).toList());
    }

    private static String caseOfRua(Set<String> names) {
        return names.stream().anyMatch(n -> n.equalsIgnoreCase(RUA))
                ? " (names are case-sensitive: it must be written \"rua\")" : "";
    }

    /** {@code rua} is a URI list, checked by {@link #destinations}; every other field is an extension. */
    private static Optional<String> valueProblem(String name, String value) {
        return name.equals(RUA) ? Optional.empty() : TxtRecordFields.extensionValueProblem(name, value, TlsRptRecordParser::quote);
    }

    private static TxtDiscovery<TlsRptRecord> destinations(String rua) {
        if (rua.isEmpty()) {
            return new TxtDiscovery.Invalid<>("rua is empty");
        }
        List<ReportUri> usable = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String text : URI_SEPARATOR.split(rua, -1)) {
            if (text.isEmpty()) {
                return new TxtDiscovery.Invalid<>("rua has an empty URI (\",,\" or a \",\" at an end)");
            }
            if (!SCHEME.matcher(text).matches()) {
                return new TxtDiscovery.Invalid<>("rua " + quote(text) + " is not a URI (no scheme such as mailto: or https:)");
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                return new TxtDiscovery.Invalid<>("rua " + quote(text) + " is not a valid URI: " + e.getReason());
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            switch (scheme) {
                case "mailto" -> {
                    List<String> addresses = mailtoAddresses(uri);
                    if (addresses.isEmpty()) {
                        return new TxtDiscovery.Invalid<>("rua " + quote(text) + " has no mail address");
                    }
                    for (String address : addresses) {
                        if (!isAddress(address)) {
                            return new TxtDiscovery.Invalid<>("rua " + quote(text) + ": " + quote(address)
                                    + " is not a mail address");
                        }
                        usable.add(new ReportUri.Mailto(address, text));
                    }
                }
                case "https" -> {
                    if (uri.getHost() == null || uri.getHost().isEmpty()) {
                        return new TxtDiscovery.Invalid<>("rua " + quote(text) + " has no host name");
                    }
                    usable.add(new ReportUri.Https(uri, text));
                }
                default -> ignored.add(text);
            }
        }
        if (usable.isEmpty()) {
            return new TxtDiscovery.Invalid<>("rua names no mailto: or https: URI (ignored: " + String.join(", ", ignored) + ")");
        }
        return new TxtDiscovery.Found<>(new TlsRptRecord(usable, ignored));
    }

    /** RFC 6068: the addresses before any {@code ?}, percent-decoded, separated by (encoded) commas. */
    private static List<String> mailtoAddresses(URI uri) {
        String specific = uri.getRawSchemeSpecificPart();
        int query = specific.indexOf('?');
        String to = query < 0 ? specific : specific.substring(0, query);
        List<String> addresses = new ArrayList<>();
        for (String part : to.split("(?i),|%2C", -1)) {
            if (!part.isEmpty()) {
                addresses.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return addresses;
    }

    private static boolean isAddress(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && at < address.length() - 1 && address.indexOf('@') == at
                && address.chars().noneMatch(c -> c <= ' ' || c == 0x7f);
    }


    private static String quote(String s) {
        return "\"" + (s.length() > QUOTE_LIMIT ? s.substring(0, QUOTE_LIMIT) + "..." : s) + "\"";
    }
}
