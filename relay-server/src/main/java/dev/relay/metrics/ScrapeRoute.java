package dev.relay.metrics;

import dev.relay.admin.AdminRequest;
import dev.relay.admin.AdminResponse;
import dev.relay.admin.AdminRoute;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * {@code GET /metrics}: the Prometheus text format (0.0.4), or OpenMetrics when the scraper's
 * {@code Accept} asks for it. Never the protobuf format, which would need another dependency
 * for no gain at this size.
 */
final class ScrapeRoute implements AdminRoute {
    private static final String OPENMETRICS = "application/openmetrics-text";
    static final String OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    ScrapeRoute(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public AdminResponse handle(AdminRequest request) throws IOException {
        boolean openMetrics = request.header("accept")
                .map(accept -> accept.toLowerCase(Locale.ROOT).contains(OPENMETRICS))
                .orElse(false);
        String contentType = openMetrics ? OPENMETRICS_TYPE : TEXT_TYPE;
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        // the registry picks its writer from this "accept" value: the exact content type picks that writer
        registry.scrape(body, contentType);
        return AdminResponse.bytes(200, contentType, body.toByteArray());
    }
}
