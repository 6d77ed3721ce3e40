package dev.relay.dns;

import java.util.Locale;

/** The record types the relay asks for; the {@code type} label of {@code relay_dns_lookups_total}. */
public enum LookupType {
    MX,
    A,
    AAAA,
    TXT,
    TLSA;

    /** The metric label value: {@code mx}, {@code a}, {@code aaaa}, {@code txt}, {@code tlsa}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
