package dev.relay.tls;

import java.nio.file.Path;
import java.util.Objects;

/** The relay's own certificate chain and key, as PEM files ({@code tls.certificate}, {@code tls.key}). */
public record TlsFiles(Path certificate, Path key) {
    public TlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }
}
