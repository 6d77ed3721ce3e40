package dev.relay.dns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Reads one DNS response to one question: a pure function from message to {@link Step}.
 *
 * <p>The CNAME chain is walked inside the answer section from the name asked. When it ends on
 * a name that the response has no records for (a stub answer, or an authoritative server
 * that does not chase out of its zone), the caller asks again for that name. RFC 6604: the
 * response code of a response with a CNAME chain is about the last name of the chain, so an
 * NXDOMAIN there means the target does not exist.
 */
final class ResponseReader {

    /** What to do after one response. */
    sealed interface Step {}

    /** The question is answered. */
    record Done(Answer answer) implements Step {}

    /**
     * The chain ends at {@code target} with no data for it: ask for the target.
     *
     * @param secure whether DNSSEC proved the part of the chain in this response
     */
    record Follow(Name target, long chainTtl, int hops, boolean secure) implements Step {
        Follow(Name target, long chainTtl, int hops) {
            this(target, chainTtl, hops, false);
        }
    }

    private ResponseReader() {}

    /** Reads a response without looking at its DNSSEC status. */
    static Step read(Question question, Message response, int maxHops) {
        return read(question, response, maxHops, false);
    }

    /**
     * @param readSecurity whether the response comes from a validating resolver (or one trusted to
     *     validate): then the AD bit says "secure", and a SERVFAIL carrying dnsjava's validation
     *     reason is a bogus answer rather than a server failure
     */
    static Step read(Question question, Message response, int maxHops, boolean readSecurity) {
        int rcode = response.getRcode();
        if (readSecurity && rcode == Rcode.SERVFAIL) {
            var reason = validationReason(response);
            if (reason.isPresent()) {
                return new Done(new Answer.Failed(ResultKind.BOGUS,
                        "DNSSEC validation failed for " + question + ": " + reason.get()));
            }
        }
        boolean secure = readSecurity && response.getHeader().getFlag(Flags.AD);
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            ResultKind kind = switch (rcode) {
                case Rcode.SERVFAIL -> ResultKind.SERVFAIL;
                case Rcode.REFUSED -> ResultKind.REFUSED;
                default -> ResultKind.ERROR;
            };
            return new Done(new Answer.Failed(kind, "DNS " + Rcode.string(rcode) + " for " + question));
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        Name current = question.name();
        long chainTtl = Long.MAX_VALUE;
        Set<Name> seen = new HashSet<>();
        seen.add(current);
        int hops = 0;
        while (true) {
            List<Record> found = new ArrayList<>();
            CNAMERecord cname = null;
            for (Record r : answers) {
                if (!r.getName().equals(current)) {
                    continue;
                }
                if (r.getType() == question.type()) {
                    found.add(r);
                } else if (r.getType() == Type.CNAME && cname == null) {
                    cname = (CNAMERecord) r;
                }
            }
            if (!found.isEmpty()) {
                long ttl = Math.min(chainTtl, found.stream().mapToLong(Record::getTTL).min().orElseThrow());
                return new Done(new Answer.Found(found, ttl, secure));
            }
            if (cname == null) {
                break;
            }
            chainTtl = Math.min(chainTtl, cname.getTTL());
            current = cname.getTarget();
            hops++;
            if (!seen.add(current) || hops > maxHops) {
                return new Done(loop(question));
            }
        }
        if (rcode == Rcode.NXDOMAIN) {
            return new Done(new Answer.Negative(ResultKind.NXDOMAIN, Math.min(chainTtl, negativeTtl(response)), secure));
        }
        if (!current.equals(question.name())) {
            return new Follow(current, chainTtl, hops, secure);
        }
        return new Done(new Answer.Negative(ResultKind.NO_DATA, negativeTtl(response), secure));
    }

    /**
     * How many seconds the response's signatures stay valid from {@code now}: the least over its
     * RRSIGs, 0 for one already expired; {@link Long#MAX_VALUE} without any. A secure answer must
     * not be served from a cache after a signature it rests on expires (RFC 4035 section 5.3.3).
     */
    static long signatureLifetime(Message response, java.time.Instant now) {
        long least = Long.MAX_VALUE;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : response.getSection(section)) {
                if (r instanceof org.xbill.DNS.RRSIGRecord sig) {
                    least = Math.min(least, Math.max(0, sig.getExpire().getEpochSecond() - now.getEpochSecond()));
                }
            }
        }
        return least;
    }

    /**
     * Why dnsjava's validator judged the response bogus: it answers SERVFAIL and puts its reason
     * in a TXT record of a private class in the additional section.
     */
    private static java.util.Optional<String> validationReason(Message response) {
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if (r instanceof TXTRecord txt && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return java.util.Optional.of(String.join("", txt.getStrings()));
            }
        }
        return java.util.Optional.empty();
    }

    static Answer.Failed loop(Question question) {
        return new Answer.Failed(ResultKind.ERROR, "DNS CNAME loop or chain too long for " + question);
    }

    /**
     * RFC 2308 5: a negative answer lives for the lesser of the SOA's TTL and its MINIMUM field;
     * without an SOA it must not be cached at all.
     */
    static long negativeTtl(Message response) {
        return response.getSection(Section.AUTHORITY).stream()
                .filter(r -> r instanceof SOARecord)
                .map(r -> (SOARecord) r)
                .mapToLong(soa -> Math.min(soa.getTTL(), soa.getMinimum()))
                .findFirst()
                .orElse(0);
    }
}
