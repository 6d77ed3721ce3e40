package dev.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** The response interpretation alone, on messages built by hand: no network. */
class ResponseReaderTest {

    private static Name name(String s) {
        try {
            return Name.fromString(s, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Message response(int rcode, Record... answers) {
        Message m = new Message(1);
        m.getHeader().setRcode(rcode);
        for (Record r : answers) {
            m.addRecord(r, Section.ANSWER);
        }
        return m;
    }

    private static Record cname(String from, String to, long ttl) {
        return new CNAMERecord(name(from), DClass.IN, ttl, name(to));
    }

    private static Record a(String host, long ttl) {
        return new ARecord(name(host), DClass.IN, ttl, new byte[] {(byte) 192, 0, 2, 1});
    }

    private static SOARecord soa(long ttl, long minimum) {
        return new SOARecord(name("test"), DClass.IN, ttl, name("ns.test"), name("hm.test"), 1, 2, 3, 4, minimum);
    }

    private static ResponseReader.Step read(String asked, Message response) {
        return ResponseReader.read(new Question(name(asked), Type.A), response, 10);
    }

    @Test
    void recordsAtTheEndOfTheChainWithTheShortestTtl() {
        Message m = response(Rcode.NOERROR, cname("a.test", "b.test", 100), cname("b.test", "c.test", 50), a("c.test", 300));

        assertThat(read("a.test", m)).isEqualTo(new ResponseReader.Done(new Answer.Found(List.of(a("c.test", 300)), 50)));
    }

    @Test
    void recordsOfOtherOwnersAreIgnored() {
        Message m = response(Rcode.NOERROR, a("unrelated.test", 300));
        m.addRecord(soa(60, 60), Section.AUTHORITY);

        assertThat(read("a.test", m)).isEqualTo(new ResponseReader.Done(new Answer.Negative(ResultKind.NO_DATA, 60)));
    }

    @Test
    void aChainEndingWithoutDataIsFollowed() {
        Message m = response(Rcode.NOERROR, cname("a.test", "b.test", 100));

        assertThat(read("a.test", m)).isEqualTo(new ResponseReader.Follow(name("b.test"), 100, 1));
    }

    @Test
    void nxdomainAfterAChainIsAboutTheTarget() {
        Message m = response(Rcode.NXDOMAIN, cname("a.test", "b.test", 20));
        m.addRecord(soa(60, 30), Section.AUTHORITY);

        assertThat(read("a.test", m)).isEqualTo(new ResponseReader.Done(new Answer.Negative(ResultKind.NXDOMAIN, 20)));
    }

    @Test
    void negativeTtlIsTheLesserOfSoaTtlAndMinimum() {
        Message nx = response(Rcode.NXDOMAIN);
        nx.addRecord(soa(60, 3600), Section.AUTHORITY);
        Message nodata = response(Rcode.NOERROR);
        nodata.addRecord(soa(3600, 15), Section.AUTHORITY);

        assertThat(read("a.test", nx)).isEqualTo(new ResponseReader.Done(new Answer.Negative(ResultKind.NXDOMAIN, 60)));
        assertThat(read("a.test", nodata)).isEqualTo(new ResponseReader.Done(new Answer.Negative(ResultKind.NO_DATA, 15)));
    }

    @Test
    void withoutSoaANegativeAnswerIsNotCached() {
        assertThat(read("a.test", response(Rcode.NXDOMAIN))).isEqualTo(new ResponseReader.Done(new Answer.Negative(ResultKind.NXDOMAIN, 0)));
    }

    @Test
    void aLoopInsideOneAnswerFails() {
        Message m = response(Rcode.NOERROR, cname("a.test", "b.test", 1), cname("b.test", "a.test", 1));

        assertThat(read("a.test", m)).isInstanceOfSatisfying(ResponseReader.Done.class,
                done -> assertThat(done.answer().kind()).isEqualTo(ResultKind.ERROR));
    }

    @Test
    void otherResponseCodesAreFailures() {
        assertThat(((ResponseReader.Done) read("a.test", response(Rcode.SERVFAIL))).answer().kind())
                .isEqualTo(ResultKind.SERVFAIL);
        assertThat(((ResponseReader.Done) read("a.test", response(Rcode.REFUSED))).answer().kind())
                .isEqualTo(ResultKind.REFUSED);
        assertThat(((ResponseReader.Done) read("a.test", response(Rcode.FORMERR))).answer().kind())
                .isEqualTo(ResultKind.ERROR);
    }

    @Test
    void nameComparisonIgnoresCase() {
        Message m = response(Rcode.NOERROR, a("A.TEST", 300));

        assertThat(read("a.test", m)).isInstanceOfSatisfying(ResponseReader.Done.class,
                done -> assertThat(done.answer().kind()).isEqualTo(ResultKind.FOUND));
    }

    // ---- reading DNSSEC status (validating or trusted resolvers only)

    private static ResponseReader.Step readSecurely(String asked, Message response) {
        return ResponseReader.read(new Question(name(asked), Type.A), response, 10, true);
    }

    private static Message authenticated(Message m) {
        m.getHeader().setFlag(Flags.AD);
        return m;
    }

    @Test
    void theAdBitMakesAnAnswerSecureOnlyWhenSecurityIsRead() {
        Message m = authenticated(response(Rcode.NOERROR, a("a.test", 300)));

        assertThat(readSecurely("a.test", m)).isEqualTo(new ResponseReader.Done(new Answer.Found(List.of(a("a.test", 300)), 300, true)));
        assertThat(read("a.test", m)).isEqualTo(new ResponseReader.Done(new Answer.Found(List.of(a("a.test", 300)), 300, false)));
        assertThat(readSecurely("a.test", response(Rcode.NOERROR, a("a.test", 300))))
                .isEqualTo(new ResponseReader.Done(new Answer.Found(List.of(a("a.test", 300)), 300, false)));
    }

    @Test
    void provedNegativeAnswersAreSecureToo() {
        Message nx = authenticated(response(Rcode.NXDOMAIN));
        nx.addRecord(soa(30, 30), Section.AUTHORITY);
        Message nodata = authenticated(response(Rcode.NOERROR));
        nodata.addRecord(soa(30, 30), Section.AUTHORITY);

        assertThat(readSecurely("a.test", nx)).isEqualTo(new ResponseReader.Done(new Answer.Negative(ResultKind.NXDOMAIN, 30, true)));
        assertThat(readSecurely("a.test", nodata)).isEqualTo(new ResponseReader.Done(new Answer.Negative(ResultKind.NO_DATA, 30, true)));
    }

    @Test
    void aServfailWithTheValidatorsReasonIsBogusAndWithoutItAServerFailure() {
        Message bogus = response(Rcode.SERVFAIL);
        bogus.addRecord(new TXTRecord(Name.root, ValidatingResolver.VALIDATION_REASON_QCLASS, 0, "signature expired"),
                Section.ADDITIONAL);

        assertThat(readSecurely("a.test", bogus)).isEqualTo(new ResponseReader.Done(
                new Answer.Failed(ResultKind.BOGUS, "DNSSEC validation failed for A of a.test: signature expired")));
        assertThat(((ResponseReader.Done) read("a.test", bogus)).answer().kind()).isEqualTo(ResultKind.SERVFAIL);
        assertThat(((ResponseReader.Done) readSecurely("a.test", response(Rcode.SERVFAIL))).answer().kind())
                .isEqualTo(ResultKind.SERVFAIL);
    }

    @Test
    void aChainIsSecureOnlyIfEveryResponseAlongItIs() {
        Message first = authenticated(response(Rcode.NOERROR, cname("a.test", "b.test", 100)));

        assertThat(readSecurely("a.test", first)).isEqualTo(new ResponseReader.Follow(name("b.test"), 100, 1, true));
        Answer last = new Answer.Found(List.of(a("b.test", 300)), 300, true);
        assertThat(last.secureOnlyIf(false)).isEqualTo(new Answer.Found(List.of(a("b.test", 300)), 300, false));
        assertThat(last.secureOnlyIf(true)).isEqualTo(last);
    }
}
