package dev.relay.delivery;

import dev.relay.tls.TlsRequirement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Chooses the TLS level for a recipient domain's connections. The seam where MTA-STS (and
 * later DANE) plugs in: until then every domain gets opportunistic TLS. Stages must not
 * complete exceptionally.
 */
@FunctionalInterface
public interface TlsPolicyChooser {

    TlsPolicyChooser OPPORTUNISTIC = domain -> CompletableFuture.completedFuture(TlsRequirement.OPPORTUNISTIC);

    CompletionStage<TlsRequirement> requirementFor(String domain);
}
