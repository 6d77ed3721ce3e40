package dev.relay.tlsrpt;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnsResult;
import dev.relay.text.TxtDiscovery;
import java.util.concurrent.CompletionStage;

/** Finds where a domain wants its reports: the TXT records at {@code _smtp._tls.<domain>}, through the relay's resolver. */
@FunctionalInterface
public interface TlsRptLookup {

    /** What the records say, or a temporary failure. Never completes exceptionally. */
    CompletionStage<Found> discover(String domain);

    /** The discovery, or why it could not be done for now (DNS failing): asked again later. */
    sealed interface Found {
        record Answer(TxtDiscovery<TlsRptRecord> discovery) implements Found {}

        record TryLater(String reason) implements Found {}
    }

    static TlsRptLookup dns(DnsResolver resolver) {
        return domain -> resolver.lookupTxt("_smtp._tls." + domain).handle((result, error) -> {
            if (error != null) {
                return new Found.TryLater(error.getMessage() == null ? "lookup failed" : error.getMessage());
            }
            return switch (result) {
                case DnsResult.Found<String> records -> new Found.Answer(TlsRptRecordParser.parse(records.values()));
                case DnsResult.NoData<String> none -> new Found.Answer(new TxtDiscovery.NoRecord<>());
                case DnsResult.NoSuchDomain<String> none -> new Found.Answer(new TxtDiscovery.NoRecord<>());
                case DnsResult.TemporaryFailure<String> failure -> new Found.TryLater(failure.reason());
            };
        });
    }
}
