package dev.relay.dns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

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

    /** The chain ends at {@code target} with no data for it: ask for the target. */
    record Follow(Name target, long chainTtl, int hops) implements Step {}

    private ResponseReader() {}

    static Step read(Question question, Message response, int maxHops) {
        int rcode = response.getRcode();
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
                return new Done(new Answer.Found(found, ttl));
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
            return new Done(new Answer.NxDomain(Math.min(chainTtl, negativeTtl(response))));
        }
        if (!current.equals(question.name())) {
            return new Follow(current, chainTtl, hops);
        }
        return new Done(new Answer.NoData(negativeTtl(response)));
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
