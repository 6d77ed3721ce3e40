package dev.relay.mtasts;

import dev.relay.text.TxtDiscovery;
import dev.relay.text.TxtRecordFields;
import dev.relay.text.TxtRecordFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the TXT records at {@code _mta-sts.<domain>} (RFC 8461 section 3.1). Pure: the caller
 * resolves them and joins each record's strings without spaces.
 * <ul>
 *   <li>Records that do not begin with {@code v=STSv1} (case-sensitive, then the end, a
 *       {@code ;} or white space) are someone else's and discarded: none left is
 *       {@link TxtDiscovery.NoRecord}: the domain announces no policy. {@code v=STSv10} is not
 *       ours either.</li>
 *   <li>Two or more left: {@link TxtDiscovery.Invalid} (the RFC's "number of resulting records
 *       is not one"). An invalid announcement (this, a bad or missing id, broken syntax) fetches
 *       no new policy, but a cached one still applies.</li>
 *   <li>Fields are separated by {@code *WSP ";" *WSP}; a trailing {@code ;} and trailing white
 *       space are allowed; an empty field between two separators is not.</li>
 *   <li>{@code id} is required: 1 to 32 ASCII letters or digits. Names are case-sensitive, so
 *       {@code ID=...} is an extension and leaves the id missing.</li>
 *   <li>Other fields are extensions, ignored once well-formed: name
 *       {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,31}}, value one or more printable ASCII characters
 *       other than {@code =}, {@code ;} and space.</li>
 *   <li>A field named twice: the first counts (a later {@code id} is not even checked).</li>
 * </ul>
 */
public final class StsRecordParser {

    private static final String VERSION = "v=STSv1";
    private static final String ID_NAME = "id";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final TxtRecordFormat FORMAT =
            new TxtRecordFormat(VERSION, ID_NAME, StsRecordParser::valueProblem, Texts::quote, StsRecordParser::nearMissOfId);

    private StsRecordParser() {}

    /** What the domain's TXT records announce; each string is one whole record. */
    public static TxtDiscovery<StsRecord> parse(List<String> txtRecords) {
        return TxtRecordFields.readTheOne(txtRecords, FORMAT, id -> new TxtDiscovery.Found<>(new StsRecord(id)));
    }

    private static String nearMissOfId(Set<String> names) {
        return NearMiss.find(ID_NAME, names)
                .map(name -> " (found \"" + name + "\"; " + NearMiss.describe(name, ID_NAME) + ")")
                .orElse("");
    }

    private static Optional<String> valueProblem(String name, String value) {
        if (name.equals(ID_NAME) && !ID.matcher(value).matches()) {
            return Optional.of("id " + Texts.quote(value) + " is not 1 to 32 letters or digits");
        }
        return TxtRecordFields.extensionValueProblem(name, value, Texts::quote);
    }
}
