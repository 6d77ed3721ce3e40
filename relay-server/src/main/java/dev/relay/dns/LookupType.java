package dev.relay.dns;

import dev.relay.label.LowerCaseLabel;

/** The record types the relay asks for; the {@code type} label of {@code relay_dns_lookups_total}. */
public enum LookupType implements LowerCaseLabel {
    MX,
    A,
    AAAA,
    TXT,
    TLSA;
}
