package dev.relay.mtasts;

import dev.relay.text.DomainForm;

/** Policy domain names as this package keys them. */
final class PolicyDomains {

    private PolicyDomains() {}

    /** Lower case, surrounding space and one trailing dot removed: {@code Example.COM.} is {@code example.com}. */
    static String normalize(String domain) {
        return DomainForm.canonical(domain.strip());
    }

    /** The host serving a domain's policy (RFC 8461 section 3.3). */
    static String policyHost(String domain) {
        return "mta-sts." + domain;
    }

    /** The name of a domain's policy TXT record (RFC 8461 section 3.1). */
    static String txtName(String domain) {
        return "_mta-sts." + domain;
    }
}
