package dev.relay.tlsrpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * A report as it leaves: I-JSON (RFC 7493: UTF-8, no duplicate names, integers well inside
 * 2^53) and, for both transports, gzip ({@code application/tlsrpt+gzip}, RFC 8460 section 5).
 */
public final class TlsReportJson {

    /** RFC 8460 section 6.4 and 6.5. */
    public static final String MEDIA_TYPE_JSON = "application/tlsrpt+json";
    public static final String MEDIA_TYPE_GZIP = "application/tlsrpt+gzip";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private TlsReportJson() {}

    /** The report as UTF-8 JSON. */
    public static byte[] json(TlsReport report) {
        try {
            return MAPPER.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of strings, numbers and lists always serialises", e);
        }
    }

    /** The report as gzip'd JSON, the body of both the HTTPS POST and the mail attachment. */
    public static byte[] gzip(TlsReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(json(report));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return bytes.toByteArray();
    }
}
