package dev.relay.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON Schema of RFC 8460 reports in test resources, with format assertions on (dates, IPs, URIs). */
public final class ReportSchema {

    private static final Schema SCHEMA = load();

    private ReportSchema() {}

    private static Schema load() {
        try (InputStream in = ReportSchema.class.getResourceAsStream("/tlsrpt/tlsrpt-report.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints, one line each; empty when the report is valid. */
    public static List<String> errors(JsonNode report) {
        return SCHEMA.validate(report, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(Error::toString).toList();
    }
}
